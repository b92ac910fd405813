import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { AuthSync } from "@/app/components/auth-sync";
import { getSessionOrNull } from "@/lib/server/current-session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Keycard", template: "%s · Keycard" },
  description: "Sign in and stay signed in: short-lived JWT access tokens and rotating refresh tokens.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page depends on who is asking (the header shows it) and carries a per-request CSP nonce:
// none may be prerendered at build time, when there are no cookies and often no secrets either.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const signedIn = await getSessionOrNull();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="inner">
            <Link href="/" className="brand">
              Key<span>card</span>
            </Link>
            <nav className="site-nav" aria-label="Main">
              {signedIn ? (
                <>
                  <Link href="/dashboard">Dashboard</Link>
                  <Link href="/account">Account</Link>
                </>
              ) : (
                <>
                  <Link href="/login">Sign in</Link>
                  <Link href="/register">Create account</Link>
                </>
              )}
            </nav>
          </div>
        </header>
        <main id="main">{children}</main>
        <AuthSync signedIn={!!signedIn} />
      </body>
    </html>
  );
}
