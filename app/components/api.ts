"use client";

// How the pages talk to the API: JSON in and out, and the server's own words for a refusal.

/** An answer's JSON: its fields, or `error` with a stable code, words, and words per field. */
export type Answer = Record<string, unknown> & { error?: { code?: string; message?: string; fields?: Record<string, string> } };

export const TRY_AGAIN = "That didn’t work just now. Please try again.";

/** A request to the API: JSON out when there is a body; null when the server could not be reached. */
export function callApi(path: string, options: { method?: "GET" | "POST" | "DELETE"; body?: unknown } = {}): Promise<Response | null> {
  const sends = options.body !== undefined;
  return fetch(path, {
    method: options.method ?? "POST",
    headers: { accept: "application/json", ...(sends ? { "content-type": "application/json" } : {}) },
    ...(sends ? { body: JSON.stringify(options.body) } : {}),
  }).catch(() => null);
}

/** The answer's JSON; null when there is none (no answer, or not JSON). */
export async function answerOf(response: Response | null): Promise<Answer | null> {
  return ((await response?.json().catch(() => null)) ?? null) as Answer | null;
}

/** The words for a refused answer: the server's own, else a general line. */
export function refusalOf(answer: Answer | null): string {
  return answer?.error?.message ?? TRY_AGAIN;
}
