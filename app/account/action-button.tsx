"use client";

// A button that changes something on the account. Without JavaScript it is a form post answered
// with a redirect back here; with it, a fetch (with the API's own method) and a re-render in place.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { answerOf, callApi, refusalOf } from "@/app/components/api";
import { useGuardedRequest } from "@/app/components/guarded-request";
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
  const [error, setError] = useState<string | null>(null);
  const request = useGuardedRequest();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await send();
  }

  async function send() {
    setError(null);
    await request.send(
      () => callApi(props.action, { method: props.method }),
      async (response) => {
        if (!response?.ok) return setError(refusalOf(await answerOf(response)));
        router.replace(`/account?notice=${props.notice}`, { scroll: false });
        router.refresh();
      },
    );
  }

  if (request.prompt) return request.prompt;

  const className = props.variant === "link" ? "link-button" : `button ${props.variant ?? "secondary"}`;
  return (
    <form method="post" action={props.action} onSubmit={onSubmit} className="inline-form">
      <button ref={request.returnFocusTo} type="submit" className={className} disabled={request.pending} aria-label={props.ariaLabel}>
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
