"use client";

// A button that changes something on the account. Without JavaScript it is a form post answered
// with a redirect back here; with it, a fetch (with the API's own method) and a re-render in place.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { asksForReauth, useReauth } from "@/app/components/reauth-prompt";
import type { AccountNotice } from "@/lib/edge/answer";

export function ActionButton(props: {
  action: string;
  method?: "POST" | "DELETE";
  label: string;
  /** For screen readers, when the visible label is not enough ("Sign out Chrome on Linux"). */
  ariaLabel?: string;
  notice: AccountNotice;
  variant?: "secondary" | "danger" | "link";
}) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reauth = useReauth();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await send();
  }

  async function send() {
    setPending(true);
    setError(null);
    const response = await fetch(props.action, { method: props.method ?? "POST", headers: { accept: "application/json" } }).catch(
      () => null,
    );
    setPending(false);
    if (await asksForReauth(response)) return reauth.ask(() => void send());
    if (response?.ok) {
      router.replace(`/account?notice=${props.notice}`, { scroll: false });
      router.refresh();
      return;
    }
    const body = (await response?.json().catch(() => null)) as { error?: { message?: string } } | null;
    setError(body?.error?.message ?? "That didn’t work just now. Please try again.");
  }

  if (reauth.prompt) return reauth.prompt;

  const className = props.variant === "link" ? "link-button" : `button ${props.variant ?? "secondary"}`;
  return (
    <form method="post" action={props.action} onSubmit={onSubmit} className="inline-form">
      <button ref={reauth.returnFocusTo} type="submit" className={className} disabled={pending} aria-label={props.ariaLabel}>
        {props.label}
      </button>
      {error ? (
        <span className="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}
