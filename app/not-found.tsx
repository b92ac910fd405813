import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

// Any address nothing answers — and what an operator page answers anyone without the role: the
// same page, word for word (app/admin/gate.tsx).
export default function NotFound() {
  return (
    <div className="auth-page">
      <h1>Page not found</h1>
      <p>There is nothing at this address. Check it, or start again from the home page.</p>
      <p className="after">
        <Link href="/">Home</Link>
      </p>
    </div>
  );
}
