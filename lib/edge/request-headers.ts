// Headers the middleware adds to a request on its way to the render. Edge-safe. Any copy arriving
// from the client is removed first, so a render can tell these came from the middleware. They are
// for logging and display; authorization still verifies the access token
// (lib/server/current-session.ts).
export const USER_ID_HEADER = "x-keycard-user-id";
export const SESSION_ID_HEADER = "x-keycard-session-id";
/** The request's id, in every log line about it and back to the client as X-Request-Id. */
export const REQUEST_ID_HEADER = "x-keycard-request-id";

export const MIDDLEWARE_HEADERS = [USER_ID_HEADER, SESSION_ID_HEADER, REQUEST_ID_HEADER];
