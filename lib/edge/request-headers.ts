// Headers the middleware adds to a request on its way to the render. Edge-safe. Any copy arriving
// from the client is removed first, so a render can tell these came from the middleware. They are
// for logging and display; authorization still verifies the access token
// (lib/server/current-session.ts).
export const USER_ID_HEADER = "x-keycard-user-id";
export const SESSION_ID_HEADER = "x-keycard-session-id";

export const MIDDLEWARE_HEADERS = [USER_ID_HEADER, SESSION_ID_HEADER];
