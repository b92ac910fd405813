import type { Metadata } from "next";
import Link from "next/link";
import { first, formErrorsOf, type Query } from "@/app/components/query";
import { StepForm } from "@/app/components/step-form";
import { safeNextPath } from "@/lib/edge/next-path";

export const metadata: Metadata = { title: "Two-step sign-in" };

// Between a right password and a session: the code from the authenticator app, or a recovery
// code. Works without JavaScript (a plain form post).
export default async function SecondStepPage({ searchParams }: { searchParams: Query }) {
  const query = await searchParams;
  const next = safeNextPath(first(query.next));
  return (
    <div className="auth-page">
      <h1>Two-step sign-in</h1>
      <p>Enter the 6-digit code your authenticator app shows for Keycard. Lost the app? Enter one of your recovery codes instead.</p>
      <StepForm
        action="/api/auth/login/verify"
        hidden={{ next }}
        fields={[{ name: "code", label: "Code", type: "text", autoComplete: "one-time-code", hint: "6 digits, or a recovery code like abcd-2345-efgh-6789." }]}
        submit="Sign in"
        pending="Signing in…"
        then={next}
        signsIn
        {...formErrorsOf(query)}
      />
      <p className="after">
        <Link href="/login">Start again</Link>
      </p>
    </div>
  );
}
