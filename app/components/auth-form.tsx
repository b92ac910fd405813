"use client";

// The sign-in and sign-up form. Without JavaScript it is a plain form POST answered with a 303
// redirect; with JavaScript it posts JSON, shows errors in place and navigates without a reload.
// Both go to the same route handler.
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { announceAuthChange } from "./auth-channel";
import { Field } from "./field";
import { StrengthHint } from "./strength-hint";

export type AuthFormProps = {
  kind: "login" | "register";
  next: string;
  email: string;
  remember: boolean;
  /** A message for the whole form (wrong credentials, email taken, a fault). */
  formError?: string;
  fieldErrors: { email?: string; password?: string };
  /** Something to tell the person before they start (e.g. that they signed out). */
  notice?: string;
};

type Errors = { form?: string; email?: string; password?: string };

export function AuthForm(props: AuthFormProps) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({ form: props.formError, ...props.fieldErrors });
  const [pending, setPending] = useState(false);
  const [notice, setNotice] = useState(props.notice);
  const formRef = useRef<HTMLFormElement>(null);
  const isLogin = props.kind === "login";
  const action = isLogin ? "/api/auth/login" : "/api/auth/register";

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setErrors({});
    setNotice(undefined);
    try {
      const response = await fetch(action, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({
          email: String(form.get("email") ?? ""),
          password: String(form.get("password") ?? ""),
          remember: form.get("remember") === "on",
        }),
      });
      if (response.status === 202) {
        // A next step: a sign-up's mailed code, or a sign-in's second factor.
        const { status } = (await response.json().catch(() => ({}))) as { status?: string };
        router.push(status === "second_factor_required" ? `/login/verify?next=${encodeURIComponent(props.next)}` : "/register/verify");
        return;
      }
      if (response.ok) {
        announceAuthChange("signed-in");
        router.replace(props.next);
        router.refresh();
        return;
      }
      const body = (await response.json().catch(() => null)) as {
        error?: { message?: string; fields?: Record<string, string> };
      } | null;
      const fields = body?.error?.fields ?? {};
      const next: Errors = { email: fields.email, password: fields.password };
      if (!fields.email && !fields.password) next.form = body?.error?.message ?? "Something went wrong. Please try again.";
      setErrors(next);
      focusFirstError(next);
    } catch {
      setErrors({ form: "Could not reach the server. Check your connection and try again." });
    }
    setPending(false);
  }

  function focusFirstError(next: Errors) {
    const name = next.email ? "email" : next.password ? "password" : null;
    if (name) formRef.current?.querySelector<HTMLInputElement>(`[name="${name}"]`)?.focus();
  }

  return (
    <form ref={formRef} method="post" action={action} onSubmit={onSubmit} noValidate className="card">
      {notice ? <p className="alert info">{notice}</p> : null}
      <div role="alert">{errors.form ? <p className="alert error">{errors.form}</p> : null}</div>
      <input type="hidden" name="next" value={props.next} />

      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete={isLogin ? "username webauthn" : "email"}
        defaultValue={props.email}
        error={errors.email}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete={isLogin ? "current-password" : "new-password"}
        error={errors.password}
        hint={isLogin ? undefined : "At least 8 characters, hard to guess."}
      />
      {isLogin ? null : <StrengthHint inputId="password" emailInputId="email" />}

      <div className="check">
        <input id="remember" name="remember" type="checkbox" defaultChecked={props.remember} />
        <label htmlFor="remember">Keep me signed in</label>
      </div>

      <button type="submit" className="button block" disabled={pending}>
        {pending ? (isLogin ? "Signing in…" : "Sending a code…") : isLogin ? "Sign in" : "Create account"}
      </button>
      {isLogin ? (
        <p className="form-link">
          <a href="/forgot-password">Forgot your password?</a>
        </p>
      ) : null}
    </form>
  );
}
