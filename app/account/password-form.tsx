"use client";

// Change password: the current one, then the new one (same rules as sign-up). Posts JSON with
// JavaScript, a plain form without; errors appear next to their fields either way. It also needs a
// fresh sign-in: when the server asks, the prompt takes the form's place, then the change is sent
// again as typed.
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { Field } from "@/app/components/field";
import { asksForReauth, useReauth } from "@/app/components/reauth-prompt";
import { StrengthHint } from "@/app/components/strength-hint";

type Errors = { form?: string; currentPassword?: string; newPassword?: string };

/** `hasPassword` false: the account has none yet (made through another provider), and sets one. */
export function PasswordForm({ initialErrors, email, hasPassword = true }: { initialErrors: Errors; email: string; hasPassword?: boolean }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>(initialErrors);
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  // What was sent when the server asked for a fresh sign-in: sent once more once it is given.
  const reauth = useReauth();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const newPassword = String(data.get("newPassword") ?? "");
    await send(hasPassword ? { currentPassword: String(data.get("currentPassword") ?? ""), newPassword } : { newPassword });
  }

  async function send(body: { currentPassword?: string; newPassword: string }) {
    setPending(true);
    setErrors({});
    const response = await fetch("/api/auth/password", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    }).catch(() => null);
    setPending(false);
    if (await asksForReauth(response)) return reauth.ask(() => void send(body));
    if (response?.ok) {
      formRef.current?.reset();
      router.replace("/account?notice=password_changed", { scroll: false });
      router.refresh();
      return;
    }
    const answer = (await response?.json().catch(() => null)) as { error?: { message?: string; fields?: Errors } } | null;
    const fields = answer?.error?.fields ?? {};
    const next: Errors = { currentPassword: fields.currentPassword, newPassword: fields.newPassword };
    if (!next.currentPassword && !next.newPassword) next.form = answer?.error?.message ?? "That didn’t work just now. Please try again.";
    setErrors(next);
    const first = next.currentPassword ? "currentPassword" : next.newPassword ? "newPassword" : null;
    if (first) formRef.current?.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
  }

  if (reauth.prompt) return reauth.prompt;

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
      <button ref={reauth.returnFocusTo} type="submit" className="button" disabled={pending}>
        {pending ? (hasPassword ? "Changing…" : "Setting…") : hasPassword ? "Change password" : "Set password"}
      </button>
    </form>
  );
}
