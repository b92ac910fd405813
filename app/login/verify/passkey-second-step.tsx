"use client";

// At the second step, a passkey instead of the app's code (offered only when the account has one).
import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import { useEffect, useState } from "react";
import { PasskeyButton } from "@/app/components/passkey-button";
import { announceAuthChange } from "@/app/components/auth-channel";

async function messageOf(answer: Response | null): Promise<string | undefined> {
  const body = (await answer?.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message;
}

/** Null once signed in (the page moves on); otherwise what to tell the person. */
async function finishWithPasskey(next: string): Promise<string | null> {
  const started = await fetch("/api/auth/login/verify/passkey/options", { method: "POST", headers: { accept: "application/json" } }).catch(() => null);
  if (!started?.ok) return (await messageOf(started)) ?? "Using a passkey is unavailable just now. Please enter a code.";
  let response;
  try {
    response = await startAuthentication({ optionsJSON: (await started.json()).options });
  } catch (error) {
    const dismissed = error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError");
    return dismissed ? "No passkey was used." : "Your browser could not use a passkey here. Please enter a code.";
  }
  const finished = await fetch("/api/auth/login/verify/passkey", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ response, next }),
  }).catch(() => null);
  if (!finished?.ok) return (await messageOf(finished)) ?? "That didn’t work just now. Please try again.";
  const body = (await finished.json().catch(() => null)) as { next?: string } | null;
  announceAuthChange("signed-in");
  window.location.assign(body?.next ?? next);
  return null;
}

export function PasskeySecondStep({ next }: { next: string }) {
  const [supported, setSupported] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  if (!supported) return null;
  return <PasskeyButton label="Use a passkey instead" run={() => finishWithPasskey(next)} error={error} onError={setError} />;
}
