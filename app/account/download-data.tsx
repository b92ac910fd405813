"use client";

// "Download my data". Without JavaScript, a GET form: the browser navigates to the file, or (a
// sign-in too old) to the confirm form. With it, the file is fetched here, so that a request for a
// fresh sign-in can show the prompt in place and then download — a navigation cannot.
import { useState, type FormEvent } from "react";
import { answerOf, callApi, refusalOf } from "@/app/components/api";
import { useGuardedRequest } from "@/app/components/guarded-request";

const EXPORT = "/api/auth/account/export";

export function DownloadData() {
  const [error, setError] = useState<string | null>(null);
  const request = useGuardedRequest();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await download();
  }

  async function download() {
    setError(null);
    await request.send(() => callApi(EXPORT, { method: "GET" }), save);
  }

  async function save(response: Response | null) {
    if (!response?.ok) return setError(refusalOf(await answerOf(response)));
    const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "keycard-data.json";
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  }

  if (request.prompt) return request.prompt;
  return (
    <>
      <form method="get" action={EXPORT} onSubmit={onSubmit} className="inline-form">
        <button ref={request.returnFocusTo} type="submit" className="button secondary" disabled={request.pending}>
          {request.pending ? "Preparing…" : "Download my data"}
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
