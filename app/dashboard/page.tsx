import type { Metadata } from "next";
import { redirect, unstable_rethrow } from "next/navigation";
import { LocalTime } from "@/app/components/local-time";
import { getCurrentSession, requireSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<{ signout?: string }> }) {
  await requireSession("/dashboard");
  let current;
  try {
    current = await getCurrentSession();
  } catch (error) {
    unstable_rethrow(error); // Next signals dynamic rendering and redirects by throwing
    console.error("[keycard] dashboard could not read the session:", error);
    return <StoreUnavailable />;
  }
  // A valid access token for a session that has ended: sign in again.
  if (!current) redirect("/login?next=%2Fdashboard");
  const { user, session, claims } = current;
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
        <h2 id="session-heading" style={{ marginTop: 0 }}>
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
        <form method="post" action="/api/auth/logout" className="actions">
          <button type="submit" className="button secondary">
            Sign out
          </button>
        </form>
      </section>
    </>
  );
}

function StoreUnavailable() {
  return (
    <>
      <h1>Dashboard</h1>
      <p className="alert error" role="alert">
        We couldn’t load your session details just now. You are still signed in; please reload in a moment.
      </p>
    </>
  );
}
