import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/app/components/local-time";
import { first, type Query } from "@/app/components/query";
import { OPERATOR_NOTICES, type OperatorNotice } from "@/lib/edge/answer";
import { searchPeople } from "@/lib/server/actions/operators";
import { ConsoleNav, operatorPage } from "./gate";

export const metadata: Metadata = { title: "Operator console" };

// Finding a person by the start of their address.
export default async function ConsolePage({ searchParams }: { searchParams: Query }) {
  const gate = await operatorPage();
  if (!gate.ok) return gate.page;
  const query = await searchParams;
  const q = (first(query.q) ?? "").trim().slice(0, 254);
  const after = first(query.after)?.slice(0, 254);
  const found = q ? await searchPeople({ q, after }, gate.ctx) : null;
  const named = first(query.notice);
  const notice = named && Object.hasOwn(OPERATOR_NOTICES, named) ? OPERATOR_NOTICES[named as OperatorNotice] : null;
  return (
    <div className="console">
      <h1>Operator console</h1>
      <ConsoleNav here="people" />
      {notice ? (
        <p className="alert info" role="status">
          {notice}
        </p>
      ) : null}
      <form method="get" action="/admin" role="search" className="console-search">
        <div className="field">
          <label htmlFor="q">Find a person by the start of their address</label>
          <input id="q" name="q" type="search" defaultValue={q} autoComplete="off" spellCheck={false} maxLength={254} autoFocus />
        </div>
        <button type="submit" className="button">
          Find
        </button>
      </form>
      {found ? (
        found.users.length === 0 ? (
          <p>No address starts with “{q}”.</p>
        ) : (
          <>
            <table className="data-table">
              <caption className="visually-hidden">People whose address starts with “{q}”</caption>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Created</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {found.users.map((u) => (
                  <tr key={u.id}>
                    <td>
                      <Link href={`/admin/users/${u.id}`}>{u.email}</Link>
                    </td>
                    <td>
                      <LocalTime iso={u.createdAt.toISOString()} />
                    </td>
                    <td>
                      {u.emailVerified ? null : <span className="badge">Not proved</span>}
                      {u.locked ? <span className="badge danger">Locked</span> : null}
                      {u.operator ? <span className="badge">Operator</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {found.next ? (
              <p>
                <Link href={`/admin?q=${encodeURIComponent(q)}&after=${encodeURIComponent(found.next)}`}>Next 25 →</Link>
              </p>
            ) : null}
          </>
        )
      ) : null}
    </div>
  );
}
