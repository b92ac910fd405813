import type { Metadata } from "next";
import Link from "next/link";
import { first, formErrorsOf, type Query } from "@/app/components/query";
import { StepForm } from "@/app/components/step-form";

export const metadata: Metadata = { title: "Forgot your password?" };

export default async function ForgotPasswordPage({ searchParams }: { searchParams: Query }) {
  const query = await searchParams;
  if (first(query.sent)) {
    return (
      <div className="auth-page">
        <h1>Check your email</h1>
        <p role="status">
          If an account uses that address, a link to choose a new password is on its way. It works once, for 30 minutes.
        </p>
        <p className="after">
          Remembered it? <Link href="/login">Sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="auth-page">
      <h1>Forgot your password?</h1>
      <p>Enter your account’s email address and we’ll send you a link to choose a new password.</p>
      <StepForm
        action="/api/auth/password-reset"
        fields={[{ name: "email", label: "Email", type: "email", autoComplete: "email" }]}
        submit="Send me a link"
        pending="Sending…"
        then="/forgot-password?sent=1"
        {...formErrorsOf(query)}
      />
      <p className="after">
        Remembered it? <Link href="/login">Sign in</Link>
      </p>
    </div>
  );
}
