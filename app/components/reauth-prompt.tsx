"use client";

// Asked when the server answers 403 reauthentication_required: the password again (or one of the
// account's passkeys), in place, and then what the person started is sent once more — they never
// start over.
import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import { useEffect, useId, useRef, useState, type FormEvent, type ReactElement, type RefObject } from "react";
import { answerOf, callApi, refusalOf } from "./api";

type Ways = { password: boolean; appCode: boolean; passkey: boolean; providers: { id: string; name: string }[] };

/** How this account can confirm it's you here: its password, a passkey (if this browser can use one), a connected provider. */
async function waysToConfirm(): Promise<Ways> {
  const answer = await callApi("/api/auth/reauthenticate/ways", { method: "GET" });
  const body = (await answerOf(answer)) as Partial<Ways> | null;
  // Unknown: the password is what most accounts have.
  if (!answer?.ok || !body) return { password: true, appCode: false, passkey: false, providers: [] };
  return {
    password: body.password !== false,
    appCode: body.appCode === true,
    passkey: body.passkey === true && browserSupportsWebAuthn(),
    providers: Array.isArray(body.providers) ? body.providers : [],
  };
}

/**
 * Leaves to confirm at a provider, coming back to this page (through the app's code, when it is
 * on); null once on the way, else what to tell the person.
 */
async function confirmAtProvider(providerId: string): Promise<string | null> {
  const answer = await callApi(`/api/auth/oauth/${providerId}/start`, { body: { purpose: "reauthenticate", next: window.location.pathname + window.location.search } });
  const body = await answerOf(answer);
  if (answer?.ok && typeof body?.redirect === "string") {
    window.location.assign(body.redirect);
    return null;
  }
  return refusalOf(body);
}

/** Null once confirmed; otherwise what to tell the person. */
async function confirmWithPasskey(): Promise<string | null> {
  // Options are asked for at the click: a challenge lives two minutes.
  const started = await callApi("/api/auth/reauthenticate/passkey/options");
  if (!started?.ok) return (await answerOf(started))?.error?.message ?? "Confirming with a passkey is unavailable just now. Please use your password.";
  let response;
  try {
    response = await startAuthentication({ optionsJSON: (await started.json()).options });
  } catch (error) {
    const dismissed = error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError");
    return dismissed ? "No passkey was used." : "Your browser could not use a passkey here. Please use your password.";
  }
  const answer = await callApi("/api/auth/reauthenticate/passkey", { body: { response } });
  if (answer?.ok) return null;
  return refusalOf(await answerOf(answer));
}

/**
 * `strong`: only ways that prove a second factor (the operator console): a passkey, or — with an
 * authenticator app on — the password or a provider, each followed by the app's code.
 */
export function ReauthPrompt({ onConfirmed, onCancel, strong = false }: { onConfirmed: () => void; onCancel: () => void; strong?: boolean }) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<string | null>(null);
  // Shown once the server says the account has an authenticator app.
  const [askCode, setAskCode] = useState(false);
  const [pending, setPending] = useState(false);
  // Offered once the server says the account has them.
  const [ways, setWays] = useState<Ways>({ password: true, appCode: false, passkey: false, providers: [] });
  const passkeyOffered = ways.passkey;
  const [passkeyPending, setPasskeyPending] = useState(false);
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const passkeyButton = useRef<HTMLButtonElement>(null);
  // With the password: shown at once when the server says the account has an app.
  const showCode = ways.password && (askCode || ways.appCode);

  useEffect(() => {
    let stopped = false;
    void waysToConfirm().then((found) => {
      if (stopped) return;
      setWays(strong && !found.appCode ? { ...found, password: false, providers: [] } : found);
    });
    return () => {
      stopped = true;
    };
  }, [strong]);

  async function confirmByPasskey() {
    if (passkeyPending || pending) return;
    setPasskeyPending(true);
    setError(null);
    setCodeError(null);
    setPasskeyError(null);
    const failure = await confirmWithPasskey();
    setPasskeyPending(false);
    if (failure === null) return onConfirmed();
    setPasskeyError(failure);
    passkeyButton.current?.focus();
  }

  async function confirmByProvider(providerId: string) {
    if (pending || passkeyPending) return;
    setError(null);
    setCodeError(null);
    setPasskeyError(null);
    const failure = await confirmAtProvider(providerId);
    if (failure) setPasskeyError(failure);
  }

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    event.stopPropagation();
    if (!ways.password) return;
    if (pending || passkeyPending) return;
    setPending(true);
    setError(null);
    setCodeError(null);
    setPasskeyError(null);
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    const code = form.get("code");
    const response = await callApi("/api/auth/reauthenticate", { body: code === null ? { password } : { password, code: String(code) } });
    setPending(false);
    if (response?.ok) return onConfirmed();
    const body = await answerOf(response);
    if (body?.error?.fields?.code) {
      setAskCode(true);
      return setCodeError(body.error.fields.code);
    }
    setError(body?.error?.fields?.password ?? refusalOf(body));
  }

  const others = [passkeyOffered ? "use a passkey" : null, ...ways.providers.map((p) => `continue with ${p.name}`)].filter(Boolean);
  const how = ways.password ? `enter your password${others.length ? ` or ${others.join(" or ")}` : ""}` : others.join(" or ") || "sign in again";
  const codeNote = ways.appCode
    ? ` The code from your authenticator app is asked too${ways.providers.length > 0 ? " (after the provider)" : ""}${passkeyOffered ? "; a passkey needs none" : ""}.`
    : "";
  return (
    <form className="card reauth" onSubmit={confirm} noValidate>
      <p>
        <strong>Confirm it’s you.</strong> {strong ? "This needs a second factor, so" : "It has been a while since you signed in, so"} {how} to go on.{codeNote}
      </p>
      {ways.password ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-password`}>Password</label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              autoFocus
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
            />
            {error ? (
              <p className="error" id={`${id}-error`} role="alert">
                {error}
              </p>
            ) : null}
          </div>
        </>
      ) : null}
      {showCode ? (
        <div className="field">
          <label htmlFor={`${id}-code`}>Code from your authenticator app</label>
          <input
            id={`${id}-code`}
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            autoFocus={askCode}
            aria-invalid={codeError ? true : undefined}
            aria-describedby={codeError ? `${id}-code-error` : undefined}
          />
          {codeError ? (
            <p className="error" id={`${id}-code-error`} role="alert">
              {codeError}
            </p>
          ) : null}
        </div>
      ) : null}
      {ways.password ? (
        <div className="actions">
          <button type="submit" className="button" disabled={pending}>
            {pending ? "Checking…" : "Confirm and continue"}
          </button>
          <button type="button" className="button secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      ) : null}
      {passkeyOffered || ways.providers.length > 0 ? (
        <div className="reauth-passkey">
          {ways.password ? <p className="or">or</p> : null}
          {passkeyOffered ? (
            <button
              ref={passkeyButton}
              type="button"
              className="button secondary block"
              onClick={confirmByPasskey}
              aria-disabled={passkeyPending || undefined}
              aria-describedby={passkeyError ? `${id}-passkey-error` : undefined}
            >
              {passkeyPending ? "Waiting for your passkey…" : "Use a passkey"}
            </button>
          ) : null}
          {ways.providers.map((p) => (
            <button
              key={p.id}
              type="button"
              className="button secondary block"
              onClick={() => void confirmByProvider(p.id)}
            >
              Continue with {p.name}
            </button>
          ))}
          <div role="alert">
            {passkeyError ? (
              <p className="alert error" id={`${id}-passkey-error`}>
                {passkeyError}
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
      {ways.password ? null : (
        // No password: the passkey and the providers are the ways; cancelling comes after them.
        <div className="actions">
          <button type="button" className="button secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}

/** Whether an answer asks for a fresh sign-in. */
export async function asksForReauth(response: Response | null): Promise<boolean> {
  if (response?.status !== 403) return false;
  const body = (await response.clone().json().catch(() => null)) as { error?: { code?: string } } | null;
  return body?.error?.code === "reauthentication_required";
}

/**
 * What a component needs around a request that may meet 403 reauthentication_required: `ask(retry)`
 * shows the prompt in its place; once the person has confirmed, `retry` runs again. Cancelled,
 * focus goes back to the button given `returnFocusTo` (the prompt had taken that button's place),
 * so a keyboard user is not left at the top of the page.
 */
export function useReauth(options: { strong?: boolean } = {}): { prompt: ReactElement | null; ask: (retry: () => void) => void; returnFocusTo: RefObject<HTMLButtonElement | null> } {
  const [retry, setRetry] = useState<(() => void) | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const returnFocusTo = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    if (!cancelled || retry) return;
    returnFocusTo.current?.focus();
    setCancelled(false);
  }, [cancelled, retry]);
  const prompt = retry ? (
    <ReauthPrompt
      strong={options.strong}
      onConfirmed={() => {
        setRetry(null);
        retry();
      }}
      onCancel={() => {
        setRetry(null);
        setCancelled(true);
      }}
    />
  ) : null;
  return { prompt, ask: (again) => setRetry(() => again), returnFocusTo };
}
