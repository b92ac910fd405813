import Link from "next/link";

/** What a page opened from a mailed link shows once that link has expired or been used. */
export function SpentLink({ why, next }: { why: string; next: { href: string; label: string } }) {
  return (
    <div className="auth-page">
      <h1>This link no longer works</h1>
      <p className="alert error" role="alert">
        {why}
      </p>
      <p>
        <Link className="button block" href={next.href}>
          {next.label}
        </Link>
      </p>
    </div>
  );
}
