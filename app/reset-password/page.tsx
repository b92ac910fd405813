import type { Metadata } from "next";
import { first, formErrorsOf, type Query } from "@/app/components/query";
import { StepForm } from "@/app/components/step-form";
import { StoreUnavailable } from "@/app/components/store-unavailable";
import { resetLinkAddress } from "@/lib/server/actions/password-reset";
import { mailedLinkState } from "@/app/components/mailed-link";
import { SpentLink } from "@/app/components/spent-link";

export const metadata: Metadata = { title: "Choose a new password" };

// Opening the link only shows the form: mail scanners fetch links, and must not use them up.
export default async function ResetPasswordPage({ searchParams }: { searchParams: Query }) {
  const query = await searchParams;
  const token = first(query.token) ?? "";
  const link = await mailedLinkState(token, resetLinkAddress);
  if (link.state === "store_unavailable") return <StoreUnavailable title="Choose a new password" />;
  if (link.state === "spent") {
    return <SpentLink why="It has expired or was already used. Links work once, for 30 minutes." next={{ href: "/forgot-password", label: "Send me a new link" }} />;
  }
  return (
    <div className="auth-page">
      <h1>Choose a new password</h1>
      <p>
        For <strong>{link.found}</strong>. Every session of your account will be signed out, and you’ll be signed in here.
      </p>
      <StepForm
        action="/api/auth/password-reset/confirm"
        hidden={{ token }}
        fields={[{ name: "password", label: "New password", type: "password", autoComplete: "new-password", hint: "At least 8 characters, hard to guess." }]}
        strengthOf="password"
        strengthFor={link.found}
        submit="Set new password"
        pending="Saving…"
        then="/account?notice=password_reset"
        signsIn
        {...formErrorsOf(query)}
      />
    </div>
  );
}
