// Headers the middleware adds to a request on its way to the render. Edge-safe. Any copy arriving
// from the client is removed first, so a render can tell these came from the middleware. They are
// for logging and display; authorization still verifies the access token
// (lib/server/current-session.ts).
export const USER_ID_HEADER = "x-keycard-user-id";
export const SESSION_ID_HEADER = "x-keycard-session-id";
/** The request's id, in every log line about it and back to the client as X-Request-Id. */
export const REQUEST_ID_HEADER = "x-keycard-request-id";

export const MIDDLEWARE_HEADERS = [USER_ID_HEADER, SESSION_ID_HEADER, REQUEST_ID_HEADER];

/**
 * On the middleware's own call to the refresh route only: this process's hop value
 * (KEYCARD_INTERNAL_HOP, made by scripts/server.mjs at start), which lets the server believe the
 * X-Forwarded-For that call passes on. The server removes it before Next sees the request.
 */
export const INTERNAL_HOP_HEADER = "x-keycard-hop";
