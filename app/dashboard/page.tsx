import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/app/components/local-time";
import { SignOutButton } from "@/app/components/sign-out-button";
import { StoreUnavailable } from "@/app/components/store-unavailable";
import { requireSession } from "@/lib/server/current-session";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<{ signout?: string }> }) {
  const required = await requireSession("/dashboard");
  if (!required.ok) return <StoreUnavailable title="Dashboard" />;
  const { user, session, claims } = required.current;
  const signoutFailed = (await searchParams).signout === "failed";

  return (
    <>
      <h1>Dashboard</h1>
      <p className="lead">
        Signed in as <strong>{user.email}</strong>
      </p>
      {signoutFailed ? (
        <p className="alert error" role="alert">
          We couldn’t sign you out just now. You are still signed in; please try again.
        </p>
      ) : null}
      <section className="card wide" aria-labelledby="session-heading">
        <h2 id="session-heading" className="flush">
          This session
        </h2>
        <dl className="details">
          <dt>Signed in</dt>
          <dd>
            <LocalTime iso={session.createdAt.toISOString()} />
          </dd>
          <dt>Ends if unused</dt>
          <dd>
            <LocalTime iso={session.idleExpiresAt.toISOString()} />
          </dd>
          <dt>Ends at the latest</dt>
          <dd>
            <LocalTime iso={session.expiresAt.toISOString()} />
          </dd>
          <dt>Access token expires</dt>
          <dd data-testid="access-token-expires">
            <LocalTime iso={claims.expiresAt.toISOString()} />
          </dd>
          <dt>Kept signed in</dt>
          <dd>{session.persistent ? "Yes, across browser restarts" : "Until the browser closes"}</dd>
        </dl>
        <div className="actions">
          <SignOutButton />
          <Link className="button secondary" href="/account">
            Devices and security
          </Link>
        </div>
      </section>
    </>
  );
}
