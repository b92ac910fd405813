"use client";

// "Connect" a provider: leaves for it. Without JavaScript, a form post answered with a redirect
// there (or to the confirm form, when the sign-in is not fresh). With it, the same request as JSON,
// so a request for a fresh sign-in shows the prompt in place, then leaves.
import { useState, type FormEvent } from "react";
import { asksForReauth, useReauth } from "@/app/components/reauth-prompt";

export function ConnectButton({ providerId, name }: { providerId: string; name: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reauth = useReauth();
  const action = `/api/auth/oauth/${providerId}/start`;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await leave();
  }

  async function leave() {
    setPending(true);
    setError(null);
    const response = await fetch(action, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ purpose: "connect", next: "/account" }),
    }).catch(() => null);
    if (await asksForReauth(response)) {
      setPending(false);
      return reauth.ask(() => void leave());
    }
    const body = (await response?.json().catch(() => null)) as { redirect?: string; error?: { message?: string } } | null;
    if (response?.ok && body?.redirect) return window.location.assign(body.redirect);
    setPending(false);
    setError(body?.error?.message ?? "That didn’t work just now. Please try again.");
  }

  if (reauth.prompt) return reauth.prompt;
  return (
    <form method="post" action={action} onSubmit={onSubmit} className="inline-form">
      <input type="hidden" name="purpose" value="connect" />
      <input type="hidden" name="next" value="/account" />
      <button ref={reauth.returnFocusTo} type="submit" className="button secondary" disabled={pending}>
        {pending ? "Leaving…" : `Connect ${name}`}
      </button>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
