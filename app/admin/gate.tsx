import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { notFound, unstable_rethrow } from "next/navigation";
import type { ReactElement } from "react";
import { StoreUnavailable } from "@/app/components/store-unavailable";
import { OPERATOR_NOTICES, type OperatorNotice } from "@/lib/edge/answer";
import type { ActionContext } from "@/lib/server/actions/context";
import { holdsOperatorRole, operatorAccess, type Operator } from "@/lib/server/actions/operators";
import { getCurrentSession } from "@/lib/server/current-session";
import { isStoreFault } from "@/lib/server/faults";
import { pageActionContext } from "@/lib/server/route";
import { StrongConfirm } from "./strong-confirm";

/**
 * The gate of every console page: a live session and the role
 * (else the same "not found" page as for an address that does not exist), a second factor on the
 * account (else what to set up, and nothing else), a session that proved it (else the prompt).
 */
export async function operatorPage(): Promise<{ ok: true; operator: Operator; ctx: ActionContext } | { ok: false; page: ReactElement }> {
  try {
    // No live session: the not-found page, as for any address that does not exist (a page that
    // sent this browser to sign in would say something is here). Signed out, the middleware has
    // already sent it to sign in, as it does for every path.
    const current = await getCurrentSession();
    if (!current) notFound();
    const { user, session, claims } = current;
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
    unstable_rethrow(error);
    if (!isStoreFault(error)) throw error;
    // The app's own "try again" page, named for no page in particular.
    return { ok: false, page: <StoreUnavailable title="Keycard" /> };
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

/** What the last change did, named by the `notice` the page was sent back with. */
export function ConsoleNotice({ named }: { named: string | undefined }) {
  const notice = named && Object.hasOwn(OPERATOR_NOTICES, named) ? OPERATOR_NOTICES[named as OperatorNotice] : null;
  return notice ? (
    <p className="alert info" role="status">
      {notice}
    </p>
  ) : null;
}

/** Whether this request's person holds the role (once per request; false when it cannot be told). */
const holdsRole = cache(async (): Promise<boolean> => {
  try {
    const current = await getCurrentSession();
    return current ? await holdsOperatorRole({ userId: current.user.id, sessionId: current.session.id }, await pageActionContext()) : false;
  } catch {
    return false;
  }
});

/**
 * A console page's title — for anyone else, the not-found page's (app/not-found.tsx), or the title
 * alone would say the page exists.
 */
export async function consoleMetadata(title: string): Promise<Metadata> {
  return { title: (await holdsRole()) ? title : "Page not found" };
}
