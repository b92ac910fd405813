// Reading a JSON or form-encoded request body into a validated value, or a 4xx explaining why not.
// Edge-safe (web APIs only).
import type { z } from "zod";
import { apiError, type ApiError, type ErrorCode } from "./errors";

export type InputMode = "json" | "form";

export type InputResult<T> =
  | { ok: true; mode: InputMode; data: T }
  | { ok: false; mode: InputMode; error: ApiError; raw?: unknown };

/** How the client wants answers: forms get redirects, everything else JSON. */
export function inputMode(request: Request): InputMode {
  return mediaType(request) === "application/x-www-form-urlencoded" ? "form" : "json";
}

function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * Reads the body (at most `maxBytes`), decodes it by content type and validates it with `schema`.
 * Form fields arrive as strings; `formToObject` turns them into what the schema expects.
 */
export async function readInput<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: { maxBytes: number; formToObject: (form: URLSearchParams) => unknown },
): Promise<InputResult<z.output<S>>> {
  const mode = inputMode(request);
  const type = mediaType(request);
  if (type !== "application/json" && type !== "application/x-www-form-urlencoded") {
    return fail(mode, "unsupported_media_type");
  }

  const text = await readCapped(request, options.maxBytes);
  if (text === null) {
    return fail(mode, "body_too_large", `The request body is larger than ${options.maxBytes} bytes.`);
  }

  let raw: unknown;
  if (mode === "form") {
    raw = options.formToObject(new URLSearchParams(text));
  } else {
    try {
      raw = JSON.parse(text);
    } catch {
      return fail(mode, "malformed_json");
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      return fail(mode, "invalid_body");
    }
  }

  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    const unknownKeys: string[] = [];
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") unknownKeys.push(...issue.keys);
      else fields[String(issue.path[0] ?? "body")] ??= issue.message;
    }
    if (unknownKeys.length > 0 && Object.keys(fields).length === 0) {
      return fail(mode, "unknown_fields", `Unknown field(s): ${unknownKeys.slice(0, 5).join(", ")}.`);
    }
    const error = apiError("validation_failed", { fields });
    return { ok: false, mode, error, raw };
  }
  return { ok: true, mode, data: parsed.data };
}

/**
 * readInput for a route whose fields are all optional: a POST with no body at all (no content
 * type, nothing sent, as `fetch(url, { method: "POST" })` makes) reads as `{}`.
 */
export async function readOptionalInput<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: { maxBytes: number; formToObject: (form: URLSearchParams) => unknown },
): Promise<InputResult<z.output<S>>> {
  // Nothing sent, said so: no content type and a length of 0 (a chunked body is not "nothing").
  if (mediaType(request) === "" && request.headers.get("content-length") === "0") {
    const parsed = schema.safeParse({});
    if (parsed.success) return { ok: true, mode: "json", data: parsed.data };
  }
  return readInput(request, schema, options);
}

function fail(mode: InputMode, code: ErrorCode, message?: string): InputResult<never> {
  return { ok: false, mode, error: apiError(code, { message }) };
}

/** The body as text, or null when it is larger than `maxBytes` (checked while reading, not after). */
async function readCapped(request: Request, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
