"use client";

// "or", a passkey button, and what went wrong: the same under the sign-in form and at the second
// step. `run` does the ceremony; it answers null when it is on its way (or done), else the words.
import { useState } from "react";

export function PasskeyButton({ label, run, error, onError }: { label: string; run: () => Promise<string | null>; error: string | null; onError: (error: string | null) => void }) {
  const [pending, setPending] = useState(false);
  return (
    <div className="passkey-sign-in">
      <p className="or">or</p>
      <button
        type="button"
        className="button secondary block"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          onError(null);
          const failure = await run();
          setPending(false);
          if (failure) onError(failure);
        }}
      >
        {pending ? "Waiting for your passkey…" : label}
      </button>
      <div role="alert">{error ? <p className="alert error">{error}</p> : null}</div>
    </div>
  );
}
