import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { first, formErrorsOf, type Query } from "@/app/components/query";
import { StepForm } from "@/app/components/step-form";
import { secondStepCookieName } from "@/lib/edge/cookies";
import { safeNextPath } from "@/lib/edge/next-path";
import { getConfig } from "@/lib/env";
import { secondStepOffersPasskey } from "@/lib/server/actions/passkeys";
import { isStoreFault } from "@/lib/server/faults";
import { pageActionContext } from "@/lib/server/route";
import { PasskeySecondStep } from "./passkey-second-step";

export const metadata: Metadata = { title: "Two-step sign-in" };

// Between a right password (or a reset link) and a session: the code from the authenticator app,
// a recovery code, or one of the account's passkeys. The code works without JavaScript (a plain
// form post); the passkey needs it.
export default async function SecondStepPage({ searchParams }: { searchParams: Query }) {
  const query = await searchParams;
  const next = safeNextPath(first(query.next));
  const pendingToken = (await cookies()).get(secondStepCookieName(getConfig()))?.value ?? "";
  const passkey = await offersPasskey(pendingToken);
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
      {passkey ? <PasskeySecondStep next={next} /> : null}
      <p className="after">
        <Link href="/login">Start again</Link>
      </p>
    </div>
  );
}

/** Whether to offer a passkey; a store fault only leaves it out (the code still works, or says why not). */
async function offersPasskey(pendingToken: string): Promise<boolean> {
  if (!pendingToken) return false;
  try {
    return await secondStepOffersPasskey(pendingToken, await pageActionContext());
  } catch (error) {
    if (!isStoreFault(error)) throw error;
    return false;
  }
}
