"use client";

// A form for one step of a mailed-code or mailed-link flow (enter the code, ask for a link, choose
// a new password). Without JavaScript it is a plain POST answered with a 303; with JavaScript it
// posts JSON to the same route, shows errors next to their fields and moves on without a reload.
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { announceAuthChange } from "./auth-channel";
import { safeNextPath, secondStepPath } from "@/lib/edge/next-path";
import { Field } from "./field";
import { answerOf, callApi, refusalOf } from "./api";
import { useGuardedRequest } from "./guarded-request";
import { StrengthHint } from "./strength-hint";

export type StepField = {
  name: string;
  id?: string;
  label: string;
  type: "email" | "password" | "text";
  autoComplete: string;
  hint?: string;
  defaultValue?: string;
  inputMode?: "numeric";
};

export type StepFormProps = {
  action: string;
  fields: StepField[];
  hidden?: Record<string, string>;
  submit: string;
  pending: string;
  /** Where to go after success; `{name}` is replaced by the answer's field of that name. */
  then: string;
  /** The answer signs the person in: other tabs are told. */
  signsIn?: boolean;
  formError?: string;
  fieldErrors?: Record<string, string | undefined>;
  /** A secondary button style, for "send a new code". */
  quiet?: boolean;
  /** A new-password field to judge as the person types (its id). */
  strengthOf?: string;
  /** The account's address, which makes some passwords guessable (when the form has no Email field). */
  strengthFor?: string;
  /** Success leaves the signed-in app (the account is gone): a full navigation, other tabs told. */
  leaves?: boolean;
  /** The submit button's look. */
  danger?: boolean;
};

export function StepForm(props: StepFormProps) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string | undefined>>({ form: props.formError, ...props.fieldErrors });
  const formRef = useRef<HTMLFormElement>(null);
  // What was sent when the server asked for the password again: sent once more once it is given.
  const request = useGuardedRequest();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await send(Object.fromEntries(new FormData(event.currentTarget).entries()));
  }

  async function send(body: Record<string, FormDataEntryValue>) {
    setErrors({});
    await request.send(() => callApi(props.action, { body }), settle);
  }

  /** Where the answer leads (the form stays pending while it goes), or what went wrong, by field. */
  async function settle(response: Response | null) {
    const answer = await answerOf(response);
    if (response?.ok) {
      // The server may say where to go (a path of this site only; the second step's page when a
      // second factor is still to come); else `then`.
      const told = typeof answer?.next === "string" ? (secondStepPath(answer.next) ?? safeNextPath(answer.next)) : null;
      const next = told ?? props.then.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(answer?.[name] ?? "")));
      if (props.leaves) {
        announceAuthChange("signed-out");
        window.location.assign(next);
        return "leaving";
      }
      if (props.signsIn && response.status !== 202) announceAuthChange("signed-in");
      router.replace(next);
      router.refresh();
      return "leaving";
    }
    const fields = answer?.error?.fields ?? {};
    const next: Record<string, string | undefined> = {};
    for (const field of props.fields) next[field.name] = fields[field.name];
    const blamed = props.fields.find((f) => next[f.name]);
    if (!blamed) next.form = response ? refusalOf(answer) : "Could not reach the server. Check your connection and try again.";
    setErrors(next);
    if (blamed) formRef.current?.querySelector<HTMLInputElement>(`[name="${blamed.name}"]`)?.focus();
  }

  if (request.prompt) return request.prompt;

  return (
    <form ref={formRef} method="post" action={props.action} onSubmit={onSubmit} noValidate className={props.quiet ? "inline-form" : "card"}>
      <div role="alert">{errors.form ? <p className="alert error">{errors.form}</p> : null}</div>
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.fields.map((field) => (
        <Field key={field.name} {...field} error={errors[field.name]} />
      ))}
      {props.strengthOf ? <StrengthHint inputId={props.strengthOf} email={props.strengthFor} /> : null}
      <button ref={request.returnFocusTo} type="submit" className={props.quiet ? "button secondary" : props.danger ? "button danger" : "button block"} disabled={request.pending}>
        {request.pending ? props.pending : props.submit}
      </button>
    </form>
  );
}
