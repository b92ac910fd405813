"use client";

// Change password: the current one, then the new one (same rules as sign-up). Posts JSON with
// JavaScript, a plain form without; errors appear next to their fields either way. It also needs a
// fresh sign-in: when the server asks, the prompt takes the form's place, then the change is sent
// again as typed.
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { Field } from "@/app/components/field";
import { answerOf, callApi, refusalOf } from "@/app/components/api";
import { useGuardedRequest } from "@/app/components/guarded-request";
import { StrengthHint } from "@/app/components/strength-hint";

type Errors = { form?: string; currentPassword?: string; newPassword?: string };

/** `hasPassword` false: the account has none yet (made through another provider), and sets one. */
export function PasswordForm({ initialErrors, email, hasPassword = true }: { initialErrors: Errors; email: string; hasPassword?: boolean }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>(initialErrors);
  const formRef = useRef<HTMLFormElement>(null);
  // What was sent when the server asked for a fresh sign-in: sent once more once it is given.
  const request = useGuardedRequest();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const newPassword = String(data.get("newPassword") ?? "");
    await send(hasPassword ? { currentPassword: String(data.get("currentPassword") ?? ""), newPassword } : { newPassword });
  }

  async function send(body: { currentPassword?: string; newPassword: string }) {
    setErrors({});
    await request.send(() => callApi("/api/auth/password", { body }), settle);
  }

  async function settle(response: Response | null) {
    if (response?.ok) {
      formRef.current?.reset();
      router.replace("/account?notice=password_changed", { scroll: false });
      router.refresh();
      return;
    }
    const answer = await answerOf(response);
    const fields = answer?.error?.fields ?? {};
    const next: Errors = { currentPassword: fields.currentPassword, newPassword: fields.newPassword };
    if (!next.currentPassword && !next.newPassword) next.form = refusalOf(answer);
    setErrors(next);
    const first = next.currentPassword ? "currentPassword" : next.newPassword ? "newPassword" : null;
    if (first) formRef.current?.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
  }

  if (request.prompt) return request.prompt;

  return (
    <form ref={formRef} method="post" action="/api/auth/password" onSubmit={onSubmit} noValidate className="card">
      <div role="alert">{errors.form ? <p className="alert error">{errors.form}</p> : null}</div>
      {hasPassword ? <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" error={errors.currentPassword} /> : null}
      <Field
        name="newPassword"
        type="password"
        label="New password"
        autoComplete="new-password"
        error={errors.newPassword}
        hint="At least 8 characters, hard to guess. Your other sessions will be signed out."
      />
      <StrengthHint inputId="newPassword" email={email} />
      <button ref={request.returnFocusTo} type="submit" className="button" disabled={request.pending}>
        {request.pending ? (hasPassword ? "Changing…" : "Setting…") : hasPassword ? "Change password" : "Set password"}
      </button>
    </form>
  );
}
