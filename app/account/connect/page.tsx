import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { first, type Query } from "@/app/components/query";
import { StepForm } from "@/app/components/step-form";
import { StoreUnavailable } from "@/app/components/store-unavailable";
import { providerCookieName } from "@/lib/edge/cookies";
import { messageFor } from "@/lib/edge/credentials";
import { getConfig } from "@/lib/env";
import { pendingLinkFor } from "@/lib/server/actions/providers";
import { requireSession } from "@/lib/server/current-session";
import { isStoreFault } from "@/lib/server/faults";
import { pageActionContext } from "@/lib/server/route";

export const metadata: Metadata = { title: "Connect a provider" };

// After signing in through a provider whose address already has an account, and then to that
// account: the owner confirms that the provider may sign them in from now on.
export default async function ConnectProviderPage({ searchParams }: { searchParams: Query }) {
  const required = await requireSession("/account/connect");
  if (!required.ok) return <StoreUnavailable title="Connect a provider" />;
  const { user, session } = required.current;
  const browserValue = (await cookies()).get(providerCookieName(getConfig()))?.value;
  let link;
  try {
    link = await pendingLinkFor({ userId: user.id, sessionId: session.id }, browserValue, await pageActionContext());
  } catch (error) {
    if (!isStoreFault(error)) throw error;
    return <StoreUnavailable title="Connect a provider" />;
  }
  const error = messageFor(first((await searchParams).error));
  if (!link) {
    return (
      <div className="auth-page">
        <h1>Nothing to connect</h1>
        <p>{error ?? "There is no provider waiting to be connected to this account in this browser: it may have expired (ten minutes). Connect one from your account."}</p>
        <p className="after">
          <Link href="/account#ways-section">Your account</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="auth-page">
      <h1>Connect {link.providerName}?</h1>
      <p>
        Your {link.providerName} account (<strong>{link.email}</strong>) will sign you in to this Keycard account,{" "}
        <strong>{user.email}</strong>, from now on. We’ll mail you to say so; you can disconnect it from your account page.
      </p>
      <StepForm action="/api/auth/oauth/link" fields={[]} submit={`Connect ${link.providerName}`} pending="Connecting…" then="/account?notice=provider_connected#ways-section" formError={error} />
      <p className="after">
        <Link href="/account">Not now</Link>
      </p>
    </div>
  );
}
