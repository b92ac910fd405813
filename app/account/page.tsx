import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/app/components/local-time";
import { first, formErrorsOf, type Query } from "@/app/components/query";
import { SignOutButton } from "@/app/components/sign-out-button";
import { StoreUnavailable } from "@/app/components/store-unavailable";
import { ACCOUNT_NOTICES, type AccountNotice } from "@/lib/edge/answer";
import { listActivity, listSessions } from "@/lib/server/actions/account-sessions";
import { requireSession } from "@/lib/server/current-session";
import { isStoreFault } from "@/lib/server/faults";
import { log } from "@/lib/server/log";
import { pageActionContext } from "@/lib/server/route";
import { ActionButton } from "./action-button";
import { DownloadData } from "./download-data";
import { StepForm } from "@/app/components/step-form";
import { passkeysOf } from "@/lib/server/actions/passkeys";
import { twoFactorStatus } from "@/lib/server/actions/two-factor";
import { Passkeys } from "./passkeys";
import { ConfirmWithProvider } from "./confirm-with-provider";
import { ConnectButton } from "./connect-button";
import { connectedProviders, providerButtons, waysInOf } from "@/lib/server/actions/providers";
import { holdsOperatorRole } from "@/lib/server/actions/operators";
import { PasswordForm } from "./password-form";
import { TwoFactor } from "./two-factor";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage({ searchParams }: { searchParams: Query }) {
  const required = await requireSession("/account");
  if (!required.ok) return <StoreUnavailable title="Account" />;
  const { user } = required.current;
  const actor = { userId: user.id, sessionId: required.current.session.id };
  const query = await searchParams;

  let sessions, events, twoFactor, passkeys, providers, ways, configuredProviders, operator;
  try {
    const ctx = await pageActionContext();
    [sessions, events, twoFactor, passkeys, providers, ways, operator] = await Promise.all([
      listSessions(actor, ctx),
      listActivity(actor, ctx),
      twoFactorStatus(actor, ctx),
      passkeysOf(actor, ctx),
      connectedProviders(actor, ctx),
      waysInOf(actor, ctx),
      holdsOperatorRole(actor, ctx),
    ]);
    configuredProviders = providerButtons(ctx);
  } catch (error) {
    if (!isStoreFault(error)) throw error;
    log().error({ fault: error instanceof Error ? error.message : String(error) }, "account page could not read the store");
    return <StoreUnavailable title="Account" />;
  }
  const codesLeft = first(query.recovery_codes_left) ?? "";
  const left = /^\d{1,2}$/.test(codesLeft) ? Number(codesLeft) : null;
  const named = first(query.notice);
  const notice =
    left !== null
      ? `You signed in with a recovery code: ${left} left.${left <= 3 ? " Make new ones below before you run out." : ""}`
      : named && Object.hasOwn(ACCOUNT_NOTICES, named)
        ? ACCOUNT_NOTICES[named as AccountNotice]
        : null;
  // The change-password form is the page's own: its errors come back without `?form=`.
  const { formError, fieldErrors } = formErrorsOf(query, null);
  const passwordErrors = { form: formError, ...fieldErrors };
  const others = sessions.filter((s) => !s.current).length;

  return (
    <>
      <h1>Account</h1>
      <p className="lead">
        Signed in as <strong>{user.email}</strong>
      </p>
      {operator ? (
        <p>
          <Link href="/admin">Operator console</Link>
        </p>
      ) : null}
      <div role="status">{notice ? <p className="alert info">{notice}</p> : null}</div>

      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you’re signed in</h2>
        <ul className="session-list">
          {sessions.map((s) => {
            const { device, current: isCurrent } = s;
            return (
              <li key={s.id} className="session" data-testid="session-row" aria-current={isCurrent ? "true" : undefined}>
                <div>
                  <p className="session-device">
                    {device} {isCurrent ? <span className="badge">This device</span> : null}
                  </p>
                  <p className="muted session-meta">
                    {s.ip ?? "Unknown IP"} · signed in <LocalTime iso={s.createdAt.toISOString()} /> · last active{" "}
                    <LocalTime iso={s.lastActiveAt.toISOString()} />
                  </p>
                </div>
                {isCurrent ? null : (
                  <ActionButton
                    action={`/api/auth/sessions/${s.id}`}
                    method="DELETE"
                    label="Sign out"
                    ariaLabel={`Sign out ${device}, signed in ${s.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC`}
                    notice="session_ended"
                  />
                )}
              </li>
            );
          })}
        </ul>
        <div className="actions">
          {others > 0 ? (
            <ActionButton action="/api/auth/sessions/revoke-others" label="Sign out of all other sessions" notice="other_sessions_ended" />
          ) : null}
          <SignOutButton everywhere />
        </div>
      </section>

      <section aria-labelledby="email-heading" id="email-section">
        <h2 id="email-heading">Email address</h2>
        <p>
          <strong>{user.email}</strong>{" "}
          {user.emailVerified ? <span className="badge">Verified</span> : <span className="muted">(from before addresses were verified)</span>}
        </p>
        <StepForm
          action="/api/auth/email"
          fields={[
            { name: "email", id: "new-email", label: "New email address", type: "email", autoComplete: "email", hint: "We’ll send a code to the new address. Your current one will be told, with a way to undo it." },
          ]}
          submit="Send a code to the new address"
          pending="Sending…"
          then="/account/email?challenge={challenge}"
          {...formErrorsOf(query, "email")}
        />
      </section>

      <section aria-labelledby="two-factor-heading" id="two-factor-section">
        <h2 id="two-factor-heading">Two-step sign-in</h2>
        <TwoFactor on={twoFactor.on} recoveryCodesLeft={twoFactor.recoveryCodesLeft} />
      </section>

      <section aria-labelledby="ways-heading" id="ways-section">
        <h2 id="ways-heading">Ways to sign in</h2>
        <p className="muted">The last one cannot be removed: add another first.</p>
        <div id="password-section">
          <h3 id="password">{ways.password ? "Change password" : "Set a password"}</h3>
          {ways.password ? null : <p>Your account has no password: you sign in with a passkey or another provider. Set one to sign in with your address too.</p>}
          <PasswordForm email={user.email} hasPassword={ways.password} initialErrors={passwordErrors} />
          {ways.password && ways.total > 1 ? (
            <details className="remove-password" open={query.form === "remove-password" ? true : undefined}>
              <summary>Remove my password</summary>
              <p>You will sign in with a passkey or another provider instead. Your other sessions will be signed out.</p>
              <StepForm
                action="/api/auth/password/remove"
                fields={[{ name: "currentPassword", id: "remove-current-password", label: "Current password", type: "password", autoComplete: "current-password" }]}
                submit="Remove my password"
                pending="Removing…"
                then="/account?notice=password_removed"
                danger
                {...formErrorsOf(query, "remove-password")}
              />
            </details>
          ) : null}
        </div>
        <div id="passkeys-section">
          <h3 id="passkeys-heading">Passkeys</h3>
          <Passkeys
          passkeys={passkeys.map((p) => ({
            id: p.id,
            name: p.name,
            createdAt: p.createdAt.toISOString(),
            lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
            synced: p.backedUp,
          }))}
        />
        </div>
        {configuredProviders.length > 0 || providers.length > 0 ? (
          <div id="providers-section">
            <h3 id="providers-heading">Other providers</h3>
            <ul className="ways" aria-labelledby="providers-heading">
              {providers.map((p) => (
                <li key={p.id} data-testid="provider-row">
                  <div>
                    <p className="way-name">{p.name}</p>
                    <p className="muted">
                      {p.email ? `${p.email} · ` : ""}connected <LocalTime iso={p.createdAt.toISOString()} />
                      {p.lastUsedAt ? (
                        <>
                          {" "}
                          · last used <LocalTime iso={p.lastUsedAt.toISOString()} />
                        </>
                      ) : null}
                    </p>
                  </div>
                  {ways.total > 1 ? (
                    <ActionButton action={`/api/auth/identities/${p.id}/remove`} label="Disconnect" ariaLabel={`Disconnect ${p.name}`} notice="provider_disconnected" />
                  ) : (
                    <span className="muted">Your only way in</span>
                  )}
                </li>
              ))}
              {configuredProviders
                .filter((c) => !providers.some((p) => p.provider === c.id))
                .map((c) => (
                  <li key={c.id}>
                    <p className="way-name">{c.name}</p>
                    <ConnectButton providerId={c.id} name={c.name} />
                  </li>
                ))}
            </ul>
          </div>
        ) : null}
      </section>

      {query.error === "reauthentication_required" || query.form === "confirm" || query.form === "confirm-provider" ? (
        <section aria-labelledby="confirm-heading" id="confirm-section">
          <h2 id="confirm-heading">Confirm it’s you</h2>
          <p>
            It has been a while since you signed in.{" "}
            {ways.password ? "Enter your password" : "Sign in again with a provider connected to your account"}
            {twoFactor.on ? " and then the code from your authenticator app" : ""}, then do again what you started.
          </p>
          {ways.password ? (
            <StepForm
              action="/api/auth/reauthenticate"
              fields={[
                { name: "password", id: "confirm-password", label: "Password", type: "password", autoComplete: "current-password" },
                ...(twoFactor.on
                  ? [{ name: "code", id: "confirm-code", label: "Code from your authenticator app", type: "text" as const, autoComplete: "one-time-code", inputMode: "numeric" as const }]
                  : []),
              ]}
              submit="Confirm"
              pending="Checking…"
              then="/account?notice=reauthenticated#danger-section"
              {...formErrorsOf(query, "confirm")}
            />
          ) : null}
          {providers.length > 0 ? <ConfirmWithProvider providers={providers} errors={formErrorsOf(query, "confirm-provider")} /> : null}
        </section>
      ) : null}

      <section aria-labelledby="danger-heading" id="danger-section">
        <h2 id="danger-heading">Your data, and leaving</h2>
        <p className="muted">A JSON file: your profile, sessions, browsers, passkeys and security activity.</p>
        <DownloadData />
        <details className="delete-account" open={query.form === "danger" ? true : undefined}>
          <summary>Delete my account</summary>
          <p>
            Everything goes: sessions, browsers, security activity. It cannot be undone. We’ll send a last mail to{" "}
            <strong>{user.email}</strong>.
          </p>
          <StepForm
            action="/api/auth/account/delete"
            fields={[{ name: "confirm", id: "delete-confirm", label: "Type your email address to confirm", type: "email", autoComplete: "off" }]}
            submit="Delete my account"
            pending="Deleting…"
            then="/login?deleted=1"
            leaves
            danger
            {...formErrorsOf(query, "danger")}
          />
        </details>
      </section>

      <section aria-labelledby="activity-heading">
        <h2 id="activity-heading">Security activity</h2>
        <p className="muted">The last 90 days.</p>
        {events.length === 0 ? (
          <p>Nothing yet.</p>
        ) : (
          <ol className="activity">
            {events.map((e) => (
              <li key={e.id} data-testid="activity-item" data-type={e.type}>
                <p className="activity-title">{e.title}</p>
                {e.detail ? <p className="activity-detail">{e.detail}</p> : null}
                <p className="muted">
                  {e.device === null ? null : `${e.device} · ${e.ip ?? "Unknown IP"} · `}
                  <LocalTime iso={e.createdAt.toISOString()} />
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
