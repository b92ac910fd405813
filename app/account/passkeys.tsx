"use client";

// Passkeys on the account page: add one (named after this device), rename, remove. WebAuthn is a
// browser API, so this needs JavaScript; adding and removing need a fresh sign-in.
import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { LocalTime } from "@/app/components/local-time";
import { asksForReauth, useReauth } from "@/app/components/reauth-prompt";
import { ActionButton } from "./action-button";

export type PasskeyItem = { id: string; name: string; createdAt: string; lastUsedAt: string | null; synced: boolean };

export function Passkeys({ passkeys }: { passkeys: PasskeyItem[] }) {
  const router = useRouter();
  const [supported, setSupported] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const reauth = useReauth();
  const [renaming, setRenaming] = useState<string | null>(null);

  useEffect(() => setSupported(browserSupportsWebAuthn()), []);

  async function add() {
    setError(null);
    setPending(true);
    try {
      const started = await fetch("/api/auth/passkeys/register/options", { method: "POST", headers: { accept: "application/json" } }).catch(() => null);
      if (await asksForReauth(started)) return reauth.ask(() => void add());
      if (!started?.ok) return setError("Adding a passkey is unavailable just now. Please try again.");
      let response;
      try {
        response = await startRegistration({ optionsJSON: (await started.json()).options });
      } catch (failure) {
        const name = failure instanceof Error ? failure.name : "";
        return setError(name === "InvalidStateError" ? "This device already holds a passkey for your account." : "No passkey was added.");
      }
      const saved = await fetch("/api/auth/passkeys/register", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ response }),
      }).catch(() => null);
      if (!saved?.ok) {
        const body = (await saved?.json().catch(() => null)) as { error?: { message?: string } } | null;
        return setError(body?.error?.message ?? "That didn’t work just now. Please try again.");
      }
      router.replace("/account?notice=passkey_added#passkeys-section", { scroll: false });
      router.refresh();
    } finally {
      setPending(false);
    }
  }

  async function rename(event: FormEvent<HTMLFormElement>, id: string) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    const response = await fetch(`/api/auth/passkeys/${encodeURIComponent(id)}/rename`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ name }),
    }).catch(() => null);
    if (!response?.ok) return setError("The passkey could not be renamed. Use 1 to 64 characters.");
    setRenaming(null);
    router.refresh();
  }

  if (reauth.prompt) return reauth.prompt;

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
        <button ref={reauth.returnFocusTo} type="button" className="button" onClick={add} disabled={pending}>
          {pending ? "Waiting for your device…" : "Add a passkey"}
        </button>
      ) : (
        <p className="muted">This browser cannot use passkeys.</p>
      )}
    </div>
  );
}
