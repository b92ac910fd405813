"use client";

// Sign out of this session (or, with `everywhere`, of every session of the account). A plain form
// post without JavaScript; with it, the other tabs are told and the page is left with a full
// navigation, so nothing signed-in stays in the client-side router's cache for Back to show.
import { useState, type FormEvent } from "react";
import { announceAuthChange } from "./auth-channel";
import { callApi } from "./api";
import { useGuardedRequest } from "./guarded-request";

export function SignOutButton({ everywhere = false, label }: { everywhere?: boolean; label?: string }) {
  const [error, setError] = useState<string | null>(null);
  const request = useGuardedRequest();
  const action = everywhere ? "/api/auth/logout?everywhere=1" : "/api/auth/logout";

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await send();
  }

  async function send() {
    setError(null);
    await request.send(
      () => callApi(action),
      (response) => {
        if (!response?.ok) return setError("We couldn’t sign you out just now. You are still signed in; please try again.");
        announceAuthChange("signed-out");
        window.location.assign("/login?signedout=1");
        return "leaving";
      },
    );
  }

  if (request.prompt) return request.prompt;

  return (
    <form method="post" action={action} onSubmit={onSubmit}>
      <button ref={request.returnFocusTo} type="submit" className={everywhere ? "button danger" : "button secondary"} disabled={request.pending}>
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
