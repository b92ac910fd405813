"use client";

// One change an operator makes to someone's account. Without JavaScript a plain form post answered
// with a redirect back; with it, JSON, the in-place prompt when the change needs a fresh second
// factor, and the page refreshed with what happened.
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { answerOf, callApi, refusalOf } from "@/app/components/api";
import { useGuardedRequest } from "@/app/components/guarded-request";

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
  // A change needs the second factor again: only the prompt's ways that prove one.
  const request = useGuardedRequest({ strong: true });
  const [error, setError] = useState<string | null>(props.initialError ?? null);
  const [reasonError, setReasonError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await send(Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])));
  }

  async function send(body: Record<string, string>) {
    setError(null);
    setReasonError(null);
    await request.send(
      () => callApi(props.action, { body }),
      async (response) => {
        if (response?.ok) {
          router.replace(props.then, { scroll: false });
          router.refresh();
          return;
        }
        const answer = await answerOf(response);
        if (answer?.error?.fields?.reason) return setReasonError(answer.error.fields.reason);
        setError(refusalOf(answer));
      },
    );
  }

  if (request.prompt) return request.prompt;
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
      <button ref={request.returnFocusTo} type="submit" className={`button ${props.danger ? "danger" : "secondary"}`} disabled={request.pending} aria-label={props.ariaLabel}>
        {request.pending ? "Working…" : props.label}
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
