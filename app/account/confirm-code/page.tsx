import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { formErrorsOf, type Query } from "@/app/components/query";
import { StepForm } from "@/app/components/step-form";
import { StoreUnavailable } from "@/app/components/store-unavailable";
import { providerCookieName } from "@/lib/edge/cookies";
import { getConfig } from "@/lib/env";
import { waitingForCode } from "@/lib/server/actions/providers";
import { requireSession } from "@/lib/server/current-session";
import { isStoreFault } from "@/lib/server/faults";
import { pageActionContext } from "@/lib/server/route";

export const metadata: Metadata = { title: "Confirm it’s you" };

// Confirming it's you through a provider, on an account with two-step sign-in: the provider signed
// the person in again; the app's code (or a recovery code) finishes it, as at sign-in.
export default async function ConfirmCodePage({ searchParams }: { searchParams: Query }) {
  const required = await requireSession("/account/confirm-code");
  if (!required.ok) return <StoreUnavailable title="Confirm it’s you" />;
  const { user, session } = required.current;
  const browserValue = (await cookies()).get(providerCookieName(getConfig()))?.value;
  let waiting;
  try {
    waiting = await waitingForCode({ userId: user.id, sessionId: session.id }, browserValue, await pageActionContext());
  } catch (error) {
    if (!isStoreFault(error)) throw error;
    return <StoreUnavailable title="Confirm it’s you" />;
  }
  if (!waiting) {
    return (
      <div className="auth-page">
        <h1>Nothing to confirm</h1>
        <p>There is no confirmation waiting for a code in this browser: it may have expired (five minutes). Start again from your account.</p>
        <p className="after">
          <Link href="/account">Your account</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="auth-page">
      <h1>One more step</h1>
      <p>
        {waiting.providerName} signed you in again. To finish confirming it’s you, enter the code from your authenticator app (or a recovery code).
      </p>
      <StepForm
        action="/api/auth/reauthenticate/provider-code"
        fields={[{ name: "code", id: "confirm-code", label: "Code", type: "text", autoComplete: "one-time-code", inputMode: "numeric" }]}
        submit="Confirm"
        pending="Checking…"
        then="{next}"
        {...formErrorsOf(await searchParams)}
      />
      <p className="after">
        <Link href="/account">Cancel</Link>
      </p>
    </div>
  );
}
