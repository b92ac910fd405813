"use client";

// Says, as the person types a new password, what the server will say when it is sent: whether it
// is hard enough to guess, and if not why and what to do. The dictionaries are large, so they load
// only once someone types in the field (a chunk of their own), never with the page. It says
// nothing while the field's own error (the server's answer, `${inputId}-error`) already says it.
import { useEffect, useState } from "react";

type Verdict = { ok: boolean; text: string } | null;

export function StrengthHint({ inputId, email, emailInputId }: { inputId: string; email?: string; emailInputId?: string }) {
  const [verdict, setVerdict] = useState<Verdict>(null);
  const [fieldSays, setFieldSays] = useState<string | null>(null);

  useEffect(() => {
    const form = document.getElementById(inputId)?.closest("form");
    if (!form) return;
    const read = () => setFieldSays(document.getElementById(`${inputId}-error`)?.textContent ?? null);
    const observer = new MutationObserver(read);
    observer.observe(form, { childList: true, subtree: true, characterData: true });
    read();
    return () => observer.disconnect();
  }, [inputId]);

  useEffect(() => {
    const input = document.getElementById(inputId) as HTMLInputElement | null;
    if (!input) return;
    let stopped = false;
    const update = async () => {
      const { passwordStrength, strengthMessage } = await import("@/lib/shared/password-strength");
      if (stopped) return;
      if (!input.value) return setVerdict(null);
      const owner = email ?? (emailInputId ? ((document.getElementById(emailInputId) as HTMLInputElement | null)?.value ?? "") : "");
      const strength = passwordStrength(input.value, owner);
      setVerdict(strength.ok ? { ok: true, text: "Hard to guess. Good." } : { ok: false, text: strengthMessage(strength) });
    };
    input.addEventListener("input", update);
    return () => {
      stopped = true;
      input.removeEventListener("input", update);
    };
  }, [inputId, email, emailInputId]);

  return (
    <p className={verdict ? (verdict.ok ? "strength ok" : "strength weak") : "strength"} aria-live="polite" data-testid="password-strength">
      {verdict && verdict.text !== fieldSays ? verdict.text : null}
    </p>
  );
}
