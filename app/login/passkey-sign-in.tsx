"use client";

// "Sign in with a passkey", and passkeys offered in the email field's autofill (conditional UI):
// the browser lists the person's passkeys for this site as they focus the field. Either way the
// server checks the signed challenge; no password and no second factor are asked.
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, startAuthentication, WebAuthnAbortService } from "@simplewebauthn/browser";
import { useEffect, useState } from "react";
import { announceAuthChange } from "@/app/components/auth-channel";
import { PasskeyButton } from "@/app/components/passkey-button";

// One options request at a time: the first answer sets the browser's passkey cookie, and a second
// request sent before it arrived would get a cookie of its own, orphaning the first's challenge
// (the button pressed while the autofill's request is still on its way: "This sign-in expired").
let optionsInFlight: Promise<unknown> = Promise.resolve();

function askForOptions(): Promise<Response | null> {
  const asked = optionsInFlight.then(() => fetch("/api/auth/passkeys/sign-in/options", { method: "POST", headers: { accept: "application/json" } }).catch(() => null));
  optionsInFlight = asked;
  return asked;
}

async function signInWithPasskey(next: string, autofill: boolean): Promise<string | null> {
  const started = await askForOptions();
  // The autofill's own request stays quiet: a refusal here is no news to someone typing a password.
  if (!started?.ok) return autofill ? null : ((await messageOf(started)) ?? "Passkey sign-in is unavailable just now. Please try again.");
  const { options } = await started.json();
  let response;
  try {
    response = await startAuthentication({ optionsJSON: options, useBrowserAutofill: autofill });
  } catch (error) {
    // Dismissed, or replaced by another ceremony (the button after autofill): nothing to say.
    if (error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError")) return autofill ? null : "No passkey was used.";
    return "Your browser could not use a passkey here.";
  }
  const remember = (document.getElementById("remember") as HTMLInputElement | null)?.checked ?? true;
  const finished = await fetch("/api/auth/passkeys/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ response, remember, next }),
  }).catch(() => null);
  if (finished?.ok) {
    announceAuthChange("signed-in");
    window.location.assign(next);
    return null;
  }
  return (await messageOf(finished)) ?? "That didn’t work just now. Please try again.";
}

/** The server's own words for a refusal (too many tries, an expired attempt), if it sent any. */
async function messageOf(answer: Response | null): Promise<string | undefined> {
  const body = (await answer?.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message;
}

export function PasskeySignIn({ next }: { next: string }) {
  const [supported, setSupported] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setSupported(browserSupportsWebAuthn());
    let stopped = false;
    void browserSupportsWebAuthnAutofill().then(async (autofill) => {
      if (!autofill || stopped) return;
      const failure = await signInWithPasskey(next, true);
      if (failure && !stopped) setError(failure);
    });
    return () => {
      stopped = true;
      WebAuthnAbortService.cancelCeremony();
    };
  }, [next]);

  if (!supported) return null;
  return <PasskeyButton label="Sign in with a passkey" run={() => signInWithPasskey(next, false)} error={error} onError={setError} />;
}
