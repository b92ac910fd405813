"use client";

// Asked when the server answers 403 reauthentication_required: the password again, in place, and
// then what the person started is sent once more — they never start over.
import { useId, useState, type FormEvent, type ReactElement } from "react";

export function ReauthPrompt({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel: () => void }) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<string | null>(null);
  // Shown once the server says the account has an authenticator app.
  const [askCode, setAskCode] = useState(false);
  const [pending, setPending] = useState(false);

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    event.stopPropagation();
    setPending(true);
    setError(null);
    setCodeError(null);
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    const code = form.get("code");
    const response = await fetch("/api/auth/reauthenticate", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(code === null ? { password } : { password, code: String(code) }),
    }).catch(() => null);
    setPending(false);
    if (response?.ok) return onConfirmed();
    const body = (await response?.json().catch(() => null)) as { error?: { code?: string; message?: string; fields?: { password?: string; code?: string } } } | null;
    if (body?.error?.fields?.code) {
      setAskCode(true);
      return setCodeError(body.error.fields.code);
    }
    setError(body?.error?.fields?.password ?? body?.error?.message ?? "That didn’t work just now. Please try again.");
  }

  return (
    <form className="card reauth" onSubmit={confirm} noValidate>
      <p>
        <strong>Confirm it’s you.</strong> It has been a while since you signed in, so enter your password to go on.
      </p>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {error ? (
          <p className="error" id={`${id}-error`} role="alert">
            {error}
          </p>
        ) : null}
      </div>
      {askCode ? (
        <div className="field">
          <label htmlFor={`${id}-code`}>Code from your authenticator app</label>
          <input
            id={`${id}-code`}
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            autoFocus
            aria-invalid={codeError ? true : undefined}
            aria-describedby={codeError ? `${id}-code-error` : undefined}
          />
          {codeError ? (
            <p className="error" id={`${id}-code-error`} role="alert">
              {codeError}
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Checking…" : "Confirm and continue"}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Whether an answer asks for a fresh sign-in. */
export async function asksForReauth(response: Response | null): Promise<boolean> {
  if (response?.status !== 403) return false;
  const body = (await response.clone().json().catch(() => null)) as { error?: { code?: string } } | null;
  return body?.error?.code === "reauthentication_required";
}

/**
 * What a component needs around a request that may meet 403 reauthentication_required: `ask(retry)`
 * shows the prompt in its place; once the person has confirmed, `retry` runs again.
 */
export function useReauth(): { prompt: ReactElement | null; ask: (retry: () => void) => void } {
  const [retry, setRetry] = useState<(() => void) | null>(null);
  const prompt = retry ? (
    <ReauthPrompt
      onConfirmed={() => {
        setRetry(null);
        retry();
      }}
      onCancel={() => setRetry(null)}
    />
  ) : null;
  return { prompt, ask: (again) => setRetry(() => again) };
}
