"use client";

// Two-step sign-in on the account page: set up an authenticator app (QR code, or the key as text,
// then a first code), see the recovery codes once, make new ones, turn it off. The steps that show
// secrets need JavaScript: they are answered in JSON and never put in an address or a page's HTML.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { answerOf, callApi, refusalOf } from "@/app/components/api";
import { useGuardedRequest } from "@/app/components/guarded-request";
import { ActionButton } from "./action-button";

type Setup = { secret: string; qrSvg: string };

export function TwoFactor({ on, recoveryCodesLeft }: { on: boolean; recoveryCodesLeft: number }) {
  const router = useRouter();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const request = useGuardedRequest();

  const fail = async (response: Response | null) => setError(refusalOf(await answerOf(response)));

  async function start() {
    setError(null);
    await request.send(
      () => callApi("/api/auth/two-factor/setup"),
      async (response) => (response?.ok ? setSetup(await response.json()) : fail(response)),
    );
  }

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setConfirming(true);
    const response = await callApi("/api/auth/two-factor/confirm", { body: { code: String(new FormData(event.currentTarget).get("code") ?? "") } });
    setConfirming(false);
    if (!response?.ok) return fail(response);
    setSetup(null);
    setCodes((await response.json()).recoveryCodes);
  }

  async function regenerate() {
    setError(null);
    await request.send(
      () => callApi("/api/auth/two-factor/recovery-codes"),
      async (response) => (response?.ok ? setCodes((await response.json()).recoveryCodes) : fail(response)),
    );
  }

  function download() {
    const text = `Keycard recovery codes — each works once, instead of a code from your authenticator app.\n\n${codes!.join("\n")}\n`;
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: "keycard-recovery-codes.txt" });
    link.click();
    URL.revokeObjectURL(url);
  }

  if (request.prompt) return request.prompt;

  if (codes) {
    return (
      <div className="card wide" data-testid="recovery-codes">
        <p>
          <strong>Your recovery codes.</strong> Each works once, instead of a code from the app. Keep them somewhere safe: they are
          shown only now.
        </p>
        <ol className="recovery-codes">
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <div className="actions">
          <button type="button" className="button secondary" onClick={download}>
            Download as text
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setCodes(null);
              router.replace("/account?notice=two_factor_enabled", { scroll: false });
              router.refresh();
            }}
          >
            I’ve saved them
          </button>
        </div>
      </div>
    );
  }

  if (setup) {
    return (
      <form className="card wide" onSubmit={confirm} noValidate>
        <p>Scan this with your authenticator app, or type the key into it. Then enter the code it shows.</p>
        <div className="qr" role="img" aria-label="QR code of your authenticator key" dangerouslySetInnerHTML={{ __html: setup.qrSvg }} />
        <p>
          Key: <code data-testid="totp-secret">{setup.secret}</code>
        </p>
        <div className="field">
          <label htmlFor="totp-code">Code from the app</label>
          <input id="totp-code" name="code" type="text" inputMode="numeric" autoComplete="one-time-code" required aria-describedby={error ? "totp-error" : undefined} />
          {error ? (
            <p className="error" id="totp-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button" disabled={confirming}>
          {confirming ? "Checking…" : "Turn on two-step sign-in"}
        </button>
      </form>
    );
  }

  return (
    <div>
      {on ? (
        <p>
          <span className="badge">On</span> Signing in asks for a code from your authenticator app. {recoveryCodesLeft} recovery code
          {recoveryCodesLeft === 1 ? "" : "s"} left.
        </p>
      ) : (
        <p>Off. With it on, a stolen password is not enough to sign in: a code from an app on your phone is asked too.</p>
      )}
      <div role="alert">{error ? <p className="alert error">{error}</p> : null}</div>
      <noscript>
        <p className="alert error">Setting up two-step sign-in needs JavaScript: its key and recovery codes are shown only to the page.</p>
      </noscript>
      <div className="actions">
        {on ? (
          <>
            <button ref={request.returnFocusTo} type="button" className="button secondary" onClick={regenerate}>
              New recovery codes
            </button>
            <ActionButton action="/api/auth/two-factor/disable" label="Turn off two-step sign-in" notice="two_factor_disabled" variant="danger" />
          </>
        ) : (
          <button ref={request.returnFocusTo} type="button" className="button" onClick={start} disabled={request.pending}>
            Set up an authenticator app
          </button>
        )}
      </div>
    </div>
  );
}
