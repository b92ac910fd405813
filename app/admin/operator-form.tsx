"use client";

// One change an operator makes to someone's account. Without JavaScript a plain form post answered
// with a redirect back; with it, JSON, the in-place prompt when the change needs a fresh second
// factor, and the page refreshed with what happened.
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { asksForReauth, useReauth } from "@/app/components/reauth-prompt";

type Answer = { error?: { message?: string; fields?: Record<string, string> } } | null;

export function OperatorForm(props: {
  action: string;
  label: string;
  /** Where to go after it worked (with its notice). */
  then: string;
  /** Hidden fields (a session's id). */
  hidden?: Record<string, string>;
  /** A reason field: its label, and whether it must be given. */
  reason?: { label: string; required: boolean; hint?: string };
  danger?: boolean;
  /** A short line under the button, for what it will do. */
  note?: string;
  ariaLabel?: string;
  initialError?: string;
}) {
  const router = useRouter();
  const id = useId();
  const reauth = useReauth({ strong: true });
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(props.initialError ?? null);
  const [reasonError, setReasonError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await send(Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])));
  }

  async function send(body: Record<string, string>) {
    setPending(true);
    setError(null);
    setReasonError(null);
    const response = await fetch(props.action, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    }).catch(() => null);
    setPending(false);
    if (await asksForReauth(response)) return reauth.ask(() => void send(body));
    if (response?.ok) {
      router.replace(props.then, { scroll: false });
      router.refresh();
      return;
    }
    const answer = (await response?.json().catch(() => null)) as Answer;
    if (answer?.error?.fields?.reason) return setReasonError(answer.error.fields.reason);
    setError(answer?.error?.message ?? "That didn’t work just now. Please try again.");
  }

  if (reauth.prompt) return reauth.prompt;
  return (
    <form method="post" action={props.action} onSubmit={onSubmit} className="operator-form" noValidate>
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.reason ? (
        <div className="field">
          <label htmlFor={`${id}-reason`}>{props.reason.label}</label>
          <textarea
            id={`${id}-reason`}
            name="reason"
            rows={2}
            maxLength={500}
            required={props.reason.required}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={[props.reason.hint ? `${id}-hint` : null, reasonError ? `${id}-reason-error` : null].filter(Boolean).join(" ") || undefined}
          />
          {props.reason.hint ? (
            <p className="hint" id={`${id}-hint`}>
              {props.reason.hint}
            </p>
          ) : null}
          {reasonError ? (
            <p className="error" id={`${id}-reason-error`} role="alert">
              {reasonError}
            </p>
          ) : null}
        </div>
      ) : null}
      <button ref={reauth.returnFocusTo} type="submit" className={`button ${props.danger ? "danger" : "secondary"}`} disabled={pending} aria-label={props.ariaLabel}>
        {pending ? "Working…" : props.label}
      </button>
      {props.note ? <p className="hint">{props.note}</p> : null}
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
