import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LocalTime } from "@/app/components/local-time";
import { first, formErrorsOf, type Query } from "@/app/components/query";
import { personDetail, type PersonDetail } from "@/lib/server/actions/operators";
import { consoleMetadata, ConsoleNav, ConsoleNotice, operatorPage } from "../../gate";
import { OperatorForm } from "../../operator-form";

export const generateMetadata = (): Promise<Metadata> => consoleMetadata("A person · Operator console");

const when = (date: Date | null) => (date ? <LocalTime iso={date.toISOString()} /> : "—");

// One person: what an operator may see (no secret, no token, no mail body) and what they may do.
export default async function PersonPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Query }) {
  const { id } = await params;
  const gate = await operatorPage();
  if (!gate.ok) return gate.page;
  const person = await personDetail(id, gate.ctx);
  if (!person) notFound();
  const query = await searchParams;
  // A plain form that failed comes back with codes in the address: one message at the top (the
  // page has several reason fields).
  const { formError, fieldErrors } = formErrorsOf(query);
  const failure = fieldErrors.reason ?? formError;
  const self = person.user.id === gate.operator.userId;
  const here = `/admin/users/${person.user.id}`;
  return (
    <div className="console">
      <h1>{person.user.email}</h1>
      <ConsoleNav here="people" />
      <ConsoleNotice named={first(query.notice)} />
      {failure ? (
        <p className="alert error" role="alert">
          {failure}
        </p>
      ) : null}
      <Account person={person} />

      <section aria-labelledby="sessions-heading" id="sessions">
        <h2 id="sessions-heading">Sessions</h2>
        {person.sessions.length === 0 ? (
          <p className="muted">No live session.</p>
        ) : (
          <>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">IP</th>
                  <th scope="col">Signed in</th>
                  <th scope="col">Last active</th>
                  <th scope="col">How</th>
                  <th scope="col">
                    <span className="visually-hidden">Sign out</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {person.sessions.map((s) => (
                  <tr key={s.id}>
                    <td>{s.device}</td>
                    <td>{s.ip ?? "—"}</td>
                    <td>{when(s.createdAt)}</td>
                    <td>{when(s.lastActiveAt)}</td>
                    <td>{s.amr.join(", ")}</td>
                    <td>
                      <OperatorForm action={`/api/admin/users/${person.user.id}/sessions/revoke`} hidden={{ sessionId: s.id }} label="Sign out" ariaLabel={`Sign out ${s.device}`} then={`${here}?notice=sessions_revoked`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <OperatorForm action={`/api/admin/users/${person.user.id}/sessions/revoke`} label="Sign out of every session" then={`${here}?notice=sessions_revoked`} danger />
          </>
        )}
      </section>

      <section aria-labelledby="factors-heading">
        <h2 id="factors-heading">Second factors and passkeys</h2>
        <ul className="plain-list">
          <li>
            Authenticator app:{" "}
            {person.secondFactor.app ? (
              <>
                on since {when(person.secondFactor.app.since)}, {person.secondFactor.recoveryCodesLeft} recovery codes left
              </>
            ) : (
              "off"
            )}
          </li>
          {person.passkeys.length === 0 ? <li>No passkeys</li> : null}
          {person.passkeys.map((p) => (
            <li key={p.id}>
              Passkey “{p.name}”: added {when(p.createdAt)}, last used {when(p.lastUsedAt)}
              {p.synced ? " (synced)" : ""}
            </li>
          ))}
          {person.providers.map((p) => (
            <li key={p.id}>
              {p.name}
              {p.email ? ` (${p.email})` : ""}: connected {when(p.connectedAt)}, last used {when(p.lastUsedAt)}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="mail-heading" id="mail">
        <h2 id="mail-heading">Mail to them</h2>
        {person.mail.length === 0 ? (
          <p className="muted">No mail to this address.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Written</th>
                <th scope="col">Subject</th>
                <th scope="col">Delivery</th>
                <th scope="col">
                  <span className="visually-hidden">Resend</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {person.mail.map((m) => (
                <tr key={m.id} data-testid="mail-row">
                  <td>{when(m.createdAt)}</td>
                  <td>{m.subject}</td>
                  <td>
                    {m.status === "sent" ? <>Sent {when(m.sentAt)}</> : null}
                    {m.status === "pending" ? (
                      <>
                        Retrying ({m.attempts} {m.attempts === 1 ? "try" : "tries"}
                        {m.nextAttemptAt ? <>, next {when(m.nextAttemptAt)}</> : null}){m.lastError ? <span className="mail-error">: {m.lastError}</span> : null}
                      </>
                    ) : null}
                    {m.status === "failed" ? (
                      <>
                        <span className="badge danger">Failed</span> after {m.attempts} tries{m.lastError ? <span className="mail-error">: {m.lastError}</span> : null}
                      </>
                    ) : null}
                  </td>
                  <td>{m.status === "failed" ? <OperatorForm action={`/api/admin/users/${person.user.id}/mail/${m.id}/resend`} label="Send again" ariaLabel={`Send “${m.subject}” again`} then={`${here}?notice=mail_resent`} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="actions-heading" id="actions">
        <h2 id="actions-heading">Help them, or stop an attack</h2>
        <p className="muted">Each of these is mailed to them, shown in their security activity (“an administrator…”) and written to the audit log.</p>
        {self ? <p>This is your own account: use your account page for changes to it.</p> : null}
        <div className="operator-actions">
          {person.user.locked && person.user.lockedReason === "email_undo_conflict" ? (
            <p>
              Locked because its owner undid an address change and the old address belongs to another account now: the current address, password and
              factors may be a hijacker’s, so it is not unlocked from here. Confirm who the owner is outside the console; delete it if it is not theirs.
            </p>
          ) : person.user.locked ? (
            // Keyed: the lock form stands here too, and its typed reason must not carry over.
            <OperatorForm key="unlock" action={`/api/admin/users/${person.user.id}/unlock`} label="Unlock the account" then={`${here}?notice=account_unlocked`} reason={{ label: "Why (optional)", required: false }} />
          ) : self ? null : (
            <OperatorForm
              key="lock"
              action={`/api/admin/users/${person.user.id}/lock`}
              label="Lock the account"
              then={`${here}?notice=account_locked`}
              reason={{ label: "Why lock it", required: true, hint: "Nobody can sign in or reset the password until it is unlocked; every session ends now." }}
              danger
            />
          )}
          {person.user.hasPassword && !self ? (
            <OperatorForm action={`/api/admin/users/${person.user.id}/require-password-reset`} label="Require a new password" then={`${here}?notice=password_reset_required`} note="Their password stops working; a link to choose a new one is mailed." />
          ) : null}
          {self ? null : (
            <OperatorForm
              action={`/api/admin/users/${person.user.id}/second-factor/remove`}
              label="Remove second factor and passkeys"
              then={`${here}?notice=second_factor_removed`}
              reason={{ label: "How did they prove who they are?", required: true, hint: "Only after they proved it to you out of band (a call back to a known number, an ID check): this removes what keeps a stolen password out." }}
              danger
            />
          )}
          {self ? null : (
            <details className="delete-account">
              <summary>Delete the account</summary>
              <OperatorForm action={`/api/admin/users/${person.user.id}/delete`} label="Delete the account" then="/admin?notice=account_deleted" reason={{ label: "Why delete it", required: true }} danger />
            </details>
          )}
        </div>
      </section>

      <section aria-labelledby="activity-heading">
        <h2 id="activity-heading">Security activity</h2>
        {person.activity.length === 0 ? (
          <p className="muted">Nothing yet.</p>
        ) : (
          <ol className="activity">
            {person.activity.map((e) => (
              <li key={e.id}>
                <p className="activity-title">{e.title}</p>
                {e.detail ? <p className="activity-detail">{e.detail}</p> : null}
                <p className="muted">
                  {e.device === null ? "By an operator · " : `${e.device} · ${e.ip ?? "Unknown IP"} · `}
                  {when(e.createdAt)}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
      <p className="after">
        <Link href={`/admin/audit?user=${person.user.id}`}>What operators did to this account</Link>
      </p>
    </div>
  );
}

function Account({ person }: { person: PersonDetail }) {
  const u = person.user;
  return (
    <dl className="facts">
      <dt>Address</dt>
      <dd>
        {u.email} {u.emailVerified ? <span className="badge">Proved</span> : <span className="badge">Not proved</span>}
      </dd>
      <dt>Created</dt>
      <dd>{when(u.createdAt)}</dd>
      <dt>Last sign-in</dt>
      <dd>{when(u.lastSignInAt)}</dd>
      <dt>Password</dt>
      <dd>{u.hasPassword ? "Set" : "None (a passkey or another provider)"}</dd>
      <dt>State</dt>
      <dd>
        {u.locked ? (
          <>
            <span className="badge danger">Locked</span> since {when(u.lockedAt)}
            {u.lockedReason === "operator" ? " by an operator" : u.lockedReason === "email_undo_conflict" ? " (an undone address change: its address belongs to another account)" : ""}
          </>
        ) : (
          "Can sign in"
        )}
        {u.operator ? <span className="badge">Operator</span> : null}
      </dd>
    </dl>
  );
}
