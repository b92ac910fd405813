"use client";

// Sign out of this session (or, with `everywhere`, of every session of the account). A plain form
// post without JavaScript; with it, the other tabs are told and the page is left with a full
// navigation, so nothing signed-in stays in the client-side router's cache for Back to show.
import { useState, type FormEvent } from "react";
import { announceAuthChange } from "./auth-channel";
import { asksForReauth, useReauth } from "./reauth-prompt";

export function SignOutButton({ everywhere = false, label }: { everywhere?: boolean; label?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const reauth = useReauth();
  const action = everywhere ? "/api/auth/logout?everywhere=1" : "/api/auth/logout";

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await send();
  }

  async function send() {
    setPending(true);
    setError(null);
    const response = await fetch(action, { method: "POST", headers: { accept: "application/json" } }).catch(() => null);
    if (await asksForReauth(response)) {
      setPending(false);
      reauth.ask(() => void send());
      return;
    }
    if (response?.ok) {
      announceAuthChange("signed-out");
      window.location.assign("/login?signedout=1");
      return;
    }
    setPending(false);
    setError("We couldn’t sign you out just now. You are still signed in; please try again.");
  }

  if (reauth.prompt) return reauth.prompt;

  return (
    <form method="post" action={action} onSubmit={onSubmit}>
      <button ref={reauth.returnFocusTo} type="submit" className={everywhere ? "button danger" : "button secondary"} disabled={pending}>
        {label ?? (everywhere ? "Sign out everywhere" : "Sign out")}
      </button>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
