import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/app/components/local-time";
import { first, type Query } from "@/app/components/query";
import { operatorSearchInput } from "@/lib/edge/credentials";
import { searchPeople } from "@/lib/server/actions/operators";
import { consoleMetadata, ConsoleNav, ConsoleNotice, operatorPage } from "./gate";

export const generateMetadata = (): Promise<Metadata> => consoleMetadata("Operator console");

// Finding a person by the start of their address.
export default async function ConsolePage({ searchParams }: { searchParams: Query }) {
  const gate = await operatorPage();
  if (!gate.ok) return gate.page;
  const query = await searchParams;
  const asked = first(query.q);
  // What the page searches is checked as the API checks it (a prefix, no NUL, not too long).
  const parsed = asked === undefined || asked.trim() === "" ? null : operatorSearchInput.safeParse({ q: asked, after: first(query.after) });
  const q = parsed?.success ? parsed.data.q : (asked ?? "").trim().slice(0, 254);
  const found = parsed?.success ? await searchPeople(parsed.data, gate.ctx) : null;
  return (
    <div className="console">
      <h1>Operator console</h1>
      <ConsoleNav here="people" />
      <ConsoleNotice named={first(query.notice)} />
      {parsed && !parsed.success ? (
        <p className="alert error" role="alert">
          Type the start of an address (1 to 254 characters).
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
