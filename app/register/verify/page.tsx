import type { Metadata } from "next";
import Link from "next/link";
import { first, formErrorsOf, type Query } from "@/app/components/query";
import { cookies } from "next/headers";
import { StepForm, type StepField } from "@/app/components/step-form";
import { signUpChallengeOf } from "@/lib/edge/cookies";
import { getEdgeConfig } from "@/lib/env";
import { getSessionOrNull } from "@/lib/server/current-session";

export const metadata: Metadata = { title: "Check your email" };

// Reached after asking to sign up (this browser holds the challenge in a cookie) or from the
// mail's link (the challenge and code in the address). Opening it changes nothing: only
// submitting the code creates the account.
export default async function VerifySignUpPage({ searchParams }: { searchParams: Query }) {
  const query = await searchParams;
  const challenge = first(query.challenge);
  const hidden = challenge ? { challenge } : undefined;
  // The mail's link opened in a browser that did not start this sign-up: the password chosen then
  // proves it is the same person (lib/server/actions/sign-up.ts says why).
  const ours = signUpChallengeOf({ cookies: await cookies() }, getEdgeConfig());
  const fromAnotherBrowser = !!challenge && challenge !== ours;
  const fields: StepField[] = [
    { name: "code", label: "Code", type: "text", autoComplete: "one-time-code", inputMode: "numeric", defaultValue: first(query.code) },
  ];
  if (fromAnotherBrowser) {
    fields.push({
      name: "password",
      label: "The password you chose",
      type: "password",
      autoComplete: "new-password",
      hint: "This sign-up was started in another browser: enter the password chosen there.",
    });
  }
  const sent = first(query.notice) === "code_sent";
  // A browser holds one session: finishing here replaces the one it has, so say so first.
  const current = await getSessionOrNull();
  return (
    <div className="auth-page">
      <h1>Check your email</h1>
      {first(query.via) === "provider" ? (
        <p>
          The provider you came from did not confirm your address, so we sent a 6-digit code to it. Enter it here to finish creating
          your account. It works for 15 minutes.
        </p>
      ) : (
        <p>
          We sent a 6-digit code to the address you entered. Enter it here to finish creating your account. It works for 15
          minutes.
        </p>
      )}
      <div role="status">{sent ? <p className="alert info">A new code is on its way. The old one no longer works.</p> : null}</div>
      {current ? (
        <p className="alert info">
          You are signed in as <strong>{current.user.email}</strong> in this browser. Creating this account signs you in to it
          instead.
        </p>
      ) : null}
      <StepForm
        action="/api/auth/register/verify"
        hidden={hidden}
        fields={fields}
        submit="Create account"
        pending="Creating account…"
        then="/dashboard"
        signsIn
        {...formErrorsOf(query)}
      />
      <div className="after">
        <p>No mail? Check your spam folder, or</p>
        <StepForm
          action="/api/auth/register/resend"
          hidden={hidden}
          fields={[]}
          submit="Send a new code"
          pending="Sending…"
          then={`/register/verify?${new URLSearchParams({ ...(challenge ? { challenge } : {}), notice: "code_sent" })}`}
          quiet
        />
        <p>
          Wrong address? <Link href="/register">Start again</Link>
        </p>
      </div>
    </div>
  );
}
