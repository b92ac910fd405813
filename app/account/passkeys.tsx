"use client";

// Passkeys on the account page: add one (named after this device), rename, remove. WebAuthn is a
// browser API, so this needs JavaScript; adding and removing need a fresh sign-in.
import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { LocalTime } from "@/app/components/local-time";
import { answerOf, callApi, refusalOf } from "@/app/components/api";
import { useGuardedRequest } from "@/app/components/guarded-request";
import { ActionButton } from "./action-button";

export type PasskeyItem = { id: string; name: string; createdAt: string; lastUsedAt: string | null; synced: boolean };

export function Passkeys({ passkeys }: { passkeys: PasskeyItem[] }) {
  const router = useRouter();
  const [supported, setSupported] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const request = useGuardedRequest();
  const [renaming, setRenaming] = useState<string | null>(null);

  useEffect(() => setSupported(browserSupportsWebAuthn()), []);

  async function add() {
    setError(null);
    await request.send(() => callApi("/api/auth/passkeys/register/options"), register);
  }

  /** The device makes the passkey for these options; the server keeps its public key. */
  async function register(started: Response | null) {
    if (!started?.ok) return setError("Adding a passkey is unavailable just now. Please try again.");
    let response;
    try {
      response = await startRegistration({ optionsJSON: (await started.json()).options });
    } catch (failure) {
      const name = failure instanceof Error ? failure.name : "";
      return setError(name === "InvalidStateError" ? "This device already holds a passkey for your account." : "No passkey was added.");
    }
    const saved = await callApi("/api/auth/passkeys/register", { body: { response } });
    if (!saved?.ok) return setError(refusalOf(await answerOf(saved)));
    router.replace("/account?notice=passkey_added#passkeys-section", { scroll: false });
    router.refresh();
  }

  async function rename(event: FormEvent<HTMLFormElement>, id: string) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    const response = await callApi(`/api/auth/passkeys/${encodeURIComponent(id)}/rename`, { body: { name } });
    if (!response?.ok) return setError("The passkey could not be renamed. Use 1 to 64 characters.");
    setRenaming(null);
    router.refresh();
  }

  if (request.prompt) return request.prompt;

  return (
    <div>
      {passkeys.length === 0 ? (
        <p>No passkeys yet. A passkey signs you in with your device’s screen lock — no password, nothing to phish.</p>
      ) : (
        <ul className="session-list" data-testid="passkey-list">
          {passkeys.map((p) => (
            <li key={p.id} className="session" data-testid="passkey-row">
              <div>
                {renaming === p.id ? (
                  <form className="inline-form" onSubmit={(event) => rename(event, p.id)}>
                    <label htmlFor={`rename-${p.id}`}>New name</label>
                    <input id={`rename-${p.id}`} name="name" defaultValue={p.name} maxLength={64} required autoFocus />
                    <button type="submit" className="button secondary">
                      Save
                    </button>
                    <button type="button" className="link-button" onClick={() => setRenaming(null)}>
                      Cancel
                    </button>
                  </form>
                ) : (
                  <p className="session-device">
                    {p.name} {p.synced ? <span className="badge">Synced</span> : null}
                  </p>
                )}
                <p className="muted session-meta">
                  Added <LocalTime iso={p.createdAt} /> · {p.lastUsedAt ? <>last used <LocalTime iso={p.lastUsedAt} /></> : "not used yet"}
                </p>
              </div>
              <div className="actions">
                {renaming === p.id ? null : (
                  <button type="button" className="link-button" onClick={() => setRenaming(p.id)} aria-label={`Rename ${p.name}`}>
                    Rename
                  </button>
                )}
                <ActionButton action={`/api/auth/passkeys/${encodeURIComponent(p.id)}/remove`} label="Remove" ariaLabel={`Remove ${p.name}`} notice="passkey_removed" />
              </div>
            </li>
          ))}
        </ul>
      )}
      <div role="alert">{error ? <p className="alert error">{error}</p> : null}</div>
      <noscript>
        <p className="alert error">Passkeys need JavaScript.</p>
      </noscript>
      {supported ? (
        <button ref={request.returnFocusTo} type="button" className="button" onClick={add} disabled={request.pending}>
          {request.pending ? "Waiting for your device…" : "Add a passkey"}
        </button>
      ) : (
        <p className="muted">This browser cannot use passkeys.</p>
      )}
    </div>
  );
}
