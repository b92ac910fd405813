import Link from "next/link";
import { getSessionOrNull } from "@/lib/server/current-session";

export default async function HomePage() {
  const current = await getSessionOrNull();
  return (
    <>
      <h1>Sign in once. Stay signed in.</h1>
      <p className="lead">
        Keycard is a reference for signing people in on the web: short-lived access tokens checked at the edge,
        refresh tokens that rotate on every use, and a silent refresh you never notice.
      </p>
      {current ? (
        <div className="card wide spaced">
          <p className="flush">
            You are signed in as <strong>{current.user.email}</strong>.
          </p>
          <div className="actions">
            <Link className="button" href="/dashboard">
              Go to your dashboard
            </Link>
          </div>
        </div>
      ) : (
        <div className="actions">
          <Link className="button" href="/register">
            Create an account
          </Link>
          <Link className="button secondary" href="/login">
            Sign in
          </Link>
        </div>
      )}
      <ul className="features">
        <li>
          <strong>Five-minute access tokens</strong>
          Signed JWTs in HttpOnly cookies, verified at the edge without a database.
        </li>
        <li>
          <strong>Rotating refresh tokens</strong>
          Every use swaps the token; a stolen, replayed one ends the session.
        </li>
        <li>
          <strong>No surprise sign-outs</strong>
          Open tabs and prefetches refreshing at once all land on the same new token.
        </li>
      </ul>
    </>
  );
}
