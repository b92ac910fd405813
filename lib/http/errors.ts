// The one error shape of the HTTP API: { "error": { "code", "message", "fields"? } }.
import { NextResponse } from "next/server";

export type ApiError = {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
};

export const NO_STORE = "no-store";

export function errorResponse(error: ApiError, init?: { headers?: HeadersInit }): NextResponse {
  const { status, ...body } = error;
  const response = NextResponse.json({ error: body }, { status, headers: init?.headers });
  response.headers.set("cache-control", NO_STORE);
  return response;
}

export const storeUnavailable: ApiError = {
  status: 503,
  code: "store_unavailable",
  message: "Sign-in is briefly unavailable. Nothing was changed; please try again in a moment.",
};
