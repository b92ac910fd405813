import type { Metadata } from "next";
import Link from "next/link";
import { first, formErrorsOf, type Query } from "@/app/components/query";
import { StepForm } from "@/app/components/step-form";

export const metadata: Metadata = { title: "Confirm your new address" };

// The second step of changing the address: the code mailed to the new one. Reached from the
// account page's form, or from the mail's link (code filled in; nothing changes until submitted).
export default async function ConfirmEmailPage({ searchParams }: { searchParams: Query }) {
  const query = await searchParams;
  const challenge = first(query.challenge) ?? "";
  return (
    <div className="auth-page">
      <h1>Confirm your new address</h1>
      <p>
        We sent a 6-digit code to the new address. Enter it here to move your account there. It works for 15 minutes; your
        current address is told once the change is made.
      </p>
      <StepForm
        action="/api/auth/email/verify"
        hidden={{ challenge }}
        fields={[{ name: "code", label: "Code", type: "text", autoComplete: "one-time-code", inputMode: "numeric", defaultValue: first(query.code) }]}
        submit="Change my address"
        pending="Changing…"
        then="/account?notice=email_changed"
        {...formErrorsOf(query)}
      />
      <p className="after">
        <Link href="/account#email">Back to your account</Link>
      </p>
    </div>
  );
}
