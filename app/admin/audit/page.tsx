import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/app/components/local-time";
import { first, type Query } from "@/app/components/query";
import { AUDIT_ACTION_NAMES, operatorAuditInput } from "@/lib/edge/credentials";
import { auditEntries } from "@/lib/server/actions/operators";
import { consoleMetadata, ConsoleNav, operatorPage } from "../gate";

export const generateMetadata = (): Promise<Metadata> => consoleMetadata("Audit log · Operator console");

const ACTION_WORDS: Record<(typeof AUDIT_ACTION_NAMES)[number], string> = {
  audit_exported: "Log exported",
  role_granted: "Operator role granted",
  role_revoked: "Operator role revoked",
  sessions_revoked: "Signed out",
  account_locked: "Locked",
  account_unlocked: "Unlocked",
  password_reset_required: "New password required",
  second_factor_removed: "Second factor removed",
  mail_resent: "Mail sent again",
  account_deleted: "Account deleted",
};

// Every operator action, newest first. Nothing here (or anywhere) changes or removes an entry.
export default async function AuditPage({ searchParams }: { searchParams: Query }) {
  const gate = await operatorPage();
  if (!gate.ok) return gate.page;
  const query = await searchParams;
  const parsed = operatorAuditInput.safeParse({ operator: first(query.operator), user: first(query.user), action: first(query.action), before: first(query.before) });
  const filters: { operator?: string; user?: string; action?: (typeof AUDIT_ACTION_NAMES)[number]; before?: string } = parsed.success ? parsed.data : {};
  const { entries, next } = await auditEntries(filters, gate.ctx);
  const keep = new URLSearchParams(Object.entries({ operator: filters.operator, user: filters.user, action: filters.action }).filter((e): e is [string, string] => !!e[1]));
  return (
    <div className="console">
      <h1>Audit log</h1>
      <ConsoleNav here="audit" />
      {parsed.success ? null : (
        <p className="alert error" role="alert">
          That filter is not one the audit log knows; showing everything.
        </p>
      )}
      <form method="get" action="/admin/audit" className="audit-filters">
        <div className="field">
          <label htmlFor="operator">Operator (address)</label>
          <input id="operator" name="operator" type="text" defaultValue={filters.operator ?? ""} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="user">Person (address or id)</label>
          <input id="user" name="user" type="text" defaultValue={filters.user ?? ""} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="action">Action</label>
          <select id="action" name="action" defaultValue={filters.action ?? ""}>
            <option value="">Any</option>
            {AUDIT_ACTION_NAMES.map((a) => (
              <option key={a} value={a}>
                {ACTION_WORDS[a]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Filter
        </button>
      </form>
      <p>
        <a href="/api/admin/audit/export" download>
          Download the whole log (JSON lines)
        </a>
      </p>
      {entries.length === 0 ? (
        <p>No entries.</p>
      ) : (
        <table className="data-table audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Operator</th>
              <th scope="col">Action</th>
              <th scope="col">Person</th>
              <th scope="col">Why</th>
              <th scope="col">What</th>
              <th scope="col">IP</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td>
                  <LocalTime iso={e.createdAt.toISOString()} />
                </td>
                <td>{e.operator}</td>
                <td>{ACTION_WORDS[e.action as keyof typeof ACTION_WORDS] ?? e.action}</td>
                <td>{e.userId ? <Link href={`/admin/users/${e.userId}`}>{e.userEmail ?? e.userId}</Link> : "—"}</td>
                <td>{e.reason ?? "—"}</td>
                <td>{e.detail ?? "—"}</td>
                <td>{e.ip ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? (
        <p>
          <Link href={`/admin/audit?${new URLSearchParams([...keep, ["before", next]])}`}>Older entries →</Link>
        </p>
      ) : null}
    </div>
  );
}
