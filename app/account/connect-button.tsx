"use client";

// "Connect" a provider: leaves for it. Without JavaScript, a form post answered with a redirect
// there (or to the confirm form, when the sign-in is not fresh). With it, the same request as JSON,
// so a request for a fresh sign-in shows the prompt in place, then leaves.
import { useState, type FormEvent } from "react";
import { answerOf, callApi, refusalOf } from "@/app/components/api";
import { useGuardedRequest } from "@/app/components/guarded-request";

export function ConnectButton({ providerId, name }: { providerId: string; name: string }) {
  const [error, setError] = useState<string | null>(null);
  const request = useGuardedRequest();
  const action = `/api/auth/oauth/${providerId}/start`;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await leave();
  }

  async function leave() {
    setError(null);
    await request.send(
      () => callApi(action, { body: { purpose: "connect", next: "/account" } }),
      async (response) => {
        const answer = await answerOf(response);
        if (response?.ok && typeof answer?.redirect === "string") {
          window.location.assign(answer.redirect);
          return "leaving";
        }
        setError(refusalOf(answer));
      },
    );
  }

  if (request.prompt) return request.prompt;
  return (
    <form method="post" action={action} onSubmit={onSubmit} className="inline-form">
      <input type="hidden" name="purpose" value="connect" />
      <input type="hidden" name="next" value="/account" />
      <button ref={request.returnFocusTo} type="submit" className="button secondary" disabled={request.pending}>
        {request.pending ? "Leaving…" : `Connect ${name}`}
      </button>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
