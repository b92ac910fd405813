"use client";

// "Download my data". Without JavaScript, a GET form: the browser navigates to the file, or (a
// sign-in too old) to the confirm form. With it, the file is fetched here, so that a request for a
// fresh sign-in can show the prompt in place and then download — a navigation cannot.
import { useState, type FormEvent } from "react";
import { asksForReauth, useReauth } from "@/app/components/reauth-prompt";

const EXPORT = "/api/auth/account/export";

export function DownloadData() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reauth = useReauth();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await download();
  }

  async function download() {
    setPending(true);
    setError(null);
    const response = await fetch(EXPORT, { headers: { accept: "application/json" } }).catch(() => null);
    setPending(false);
    if (await asksForReauth(response)) return reauth.ask(() => void download());
    if (!response?.ok) {
      const body = (await response?.json().catch(() => null)) as { error?: { message?: string } } | null;
      return setError(body?.error?.message ?? "That didn’t work just now. Please try again.");
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "keycard-data.json";
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  }

  if (reauth.prompt) return reauth.prompt;
  return (
    <>
      <form method="get" action={EXPORT} onSubmit={onSubmit} className="inline-form">
        <button ref={reauth.returnFocusTo} type="submit" className="button secondary" disabled={pending}>
          {pending ? "Preparing…" : "Download my data"}
        </button>
      </form>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
