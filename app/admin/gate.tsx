import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactElement } from "react";
import { StoreUnavailable } from "@/app/components/store-unavailable";
import type { ActionContext } from "@/lib/server/actions/context";
import { operatorAccess, type Operator } from "@/lib/server/actions/operators";
import { requireSession } from "@/lib/server/current-session";
import { isStoreFault } from "@/lib/server/faults";
import { pageActionContext } from "@/lib/server/route";
import { StrongConfirm } from "./strong-confirm";

/**
 * The gate of every console page: the person signed in (else to sign-in, as any page), the role
 * (else the same "not found" page as for an address that does not exist), a second factor on the
 * account (else what to set up, and nothing else), a session that proved it (else the prompt).
 */
export async function operatorPage(path: string): Promise<{ ok: true; operator: Operator; ctx: ActionContext } | { ok: false; page: ReactElement }> {
  const required = await requireSession(path);
  if (!required.ok) return { ok: false, page: <StoreUnavailable title="Operator console" /> };
  const { user, session, claims } = required.current;
  try {
    const ctx = await pageActionContext();
    const access = await operatorAccess({ userId: user.id, sessionId: session.id, authenticatedAt: claims.authenticatedAt }, ctx);
    if (access.ok) return { ok: true, operator: access.operator, ctx };
    if (access.code === "not_found") notFound();
    if (access.code === "operator_needs_second_factor") {
      return {
        ok: false,
        page: (
          <div className="auth-page">
            <h1>Operator console</h1>
            <p>The console needs two-step sign-in or a passkey on your account: operators are the accounts an attacker wants most.</p>
            <p className="after">
              <Link href="/account#two-factor-section">Set one up on your account page</Link>
            </p>
          </div>
        ),
      };
    }
    return {
      ok: false,
      page: (
        <div className="auth-page">
          <h1>Operator console</h1>
          <StrongConfirm />
        </div>
      ),
    };
  } catch (error) {
    if (!isStoreFault(error)) throw error;
    return { ok: false, page: <StoreUnavailable title="Operator console" /> };
  }
}

/** The console's own links, on each of its pages. */
export function ConsoleNav({ here }: { here: "people" | "audit" }) {
  return (
    <nav className="console-nav" aria-label="Operator console">
      <Link href="/admin" aria-current={here === "people" ? "page" : undefined}>
        People
      </Link>
      <Link href="/admin/audit" aria-current={here === "audit" ? "page" : undefined}>
        Audit log
      </Link>
    </nav>
  );
}
