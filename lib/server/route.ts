// Route handlers: each one parses its request, calls one account action and answers. This wraps
// them with what every route needs. Node only.
//
// A store fault is answered 503 `store_unavailable` and `busy` hashing 503 `busy`, both with the
// cookies kept: nothing was changed and trying again will work. Anything else is a bug: logged
// with its stack and answered 500 `internal_error` (the same JSON shape), never dressed up as an
// outage.
import "server-only";
import { headers } from "next/headers";
import type { NextRequest } from "next/server";
import { getDb } from "@/lib/db";
import type { z } from "zod";
import { answerFailure, answerRefusal, CONFIRM_FORM, errorResponse, failWith, operatorDone, seeOther, type OperatorNotice } from "@/lib/edge/answer";
import { fieldsFromForm } from "@/lib/edge/credentials";
import { readOptionalInput } from "@/lib/edge/read-input";
import { clientInfo } from "@/lib/edge/client-info";
import { apiError, type ErrorCode } from "@/lib/edge/errors";
import { safeNextPath } from "@/lib/edge/next-path";
import { inputMode } from "@/lib/edge/read-input";
import { getConfig } from "@/lib/env";
import type { ActionContext, Actor } from "./actions/context";
import { operatorAccess, type Operator } from "./actions/operators";
import { getCurrentSession, type CurrentSession } from "./current-session";
import { BusyError, isStoreFault } from "./faults";
import { ensureMailSender } from "./mail/sender";
import { ensureSweeper } from "./sweeper";
import { log } from "./log";
import { metrics, observeRequest, routeLabel } from "./metrics";
import { REQUEST_ID_HEADER, SESSION_ID_HEADER, USER_ID_HEADER } from "@/lib/edge/request-headers";

/** The context an action runs in for this request. */
export function actionContext(request: Request): ActionContext {
  const config = getConfig();
  const db = getDb();
  // Every instance delivers the outbox and sweeps; the first request it serves starts both.
  ensureMailSender(db, config);
  ensureSweeper(db, config);
  return { db, config, now: new Date(), client: clientInfo(request, config.trustedProxies), requestId: requestIdOf(request) };
}

/** The same for a page (a server component), from the request Next is rendering. */
export async function pageActionContext(): Promise<ActionContext> {
  const config = getConfig();
  const request = new Request("http://page.invalid/", { headers: await headers() });
  const db = getDb();
  ensureMailSender(db, config);
  return { db, config, now: new Date(), client: clientInfo(request, config.trustedProxies) };
}

export function route<C>(handler: (request: NextRequest, ctx: ActionContext, context: C) => Promise<Response>) {
  return async (request: NextRequest, context: C): Promise<Response> => {
    const started = performance.now();
    let response: Response;
    try {
      response = await handler(request, actionContext(request), context);
    } catch (error) {
      response = answerThrown(request, error);
    }
    const seconds = (performance.now() - started) / 1000;
    observeRequest(request, response.status, seconds);
    logRequest(request, response.status, seconds);
    return response;
  };
}

/**
 * A route that needs a signed-in person: the live session, or 401 without calling `handler`.
 * The session check reads the database, so a session ended elsewhere is refused here at once,
 * valid access token or not.
 */
export function withSession<C>(
  handler: (request: NextRequest, current: CurrentSession & { actor: Actor }, ctx: ActionContext, context: C) => Promise<Response>,
) {
  return route<C>(async (request, ctx, context) => {
    const current = await getCurrentSession();
    if (!current) return failWith("unauthenticated");
    const actor = { userId: current.user.id, sessionId: current.session.id, authenticatedAt: current.claims.authenticatedAt };
    return handler(request, { ...current, actor }, ctx, context);
  });
}

/**
 * An operator route: the session, then the console's gate (actions/operators.ts). Anyone without
 * the role gets what a route that does not exist answers (404 `not_found`, app/api/[...unknown]),
 * so nothing says the console is here.
 */
export function withOperator<C>(handler: (request: NextRequest, operator: Operator, ctx: ActionContext, context: C) => Promise<Response>) {
  return withSession<C>(async (request, current, ctx, context) => {
    const access = await operatorAccess(current.actor, ctx);
    if (!access.ok) return failWith(access.code);
    return handler(request, access.operator, ctx, context);
  });
}

type Handler<C> = (request: NextRequest, operator: Operator, ctx: ActionContext, context: C) => Promise<Response>;

/**
 * Every method of an operator route: the ones given, and for the others 405 to an operator — and
 * to anyone else the same 404 as everywhere (a 405 would say the route exists).
 */
export function operatorRoute<C = unknown>(handlers: { GET?: Handler<C>; POST?: Handler<C> }) {
  const refuse: Handler<C> = async () => failWith("method_not_allowed");
  const method = (h?: Handler<C>) => withOperator<C>(h ?? refuse);
  return { GET: method(handlers.GET), POST: method(handlers.POST), PUT: method(), PATCH: method(), DELETE: method() };
}

/**
 * An operator's change to one person (`params.id`): its input read (no body at all reads as `{}`),
 * the action run, and the answer every change gives — 204, or for a form a 303 back to the
 * person's page with `notice` — or the action's refusal.
 */
export function operatorChange<S extends z.ZodType, P extends { id: string }>(options: {
  input: S;
  notice: OperatorNotice;
  /** The part of the person's page a failed form goes back to. */
  fragment: string;
  act: (operator: Operator, params: P, input: z.output<S>, ctx: ActionContext) => Promise<{ ok: true } | { ok: false; code: ErrorCode; message?: string; retryAfterSeconds?: number }>;
}) {
  return operatorRoute<{ params: Promise<P> }>({
    POST: async (request, operator, ctx, { params }) => {
      const found = await params;
      const back = { page: `/admin/users/${encodeURIComponent(found.id)}`, fragment: options.fragment };
      const input = await readOptionalInput(request, options.input, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
      if (!input.ok) return answerFailure(input.mode, input.error, back);
      const result = await options.act(operator, found, input.data, ctx);
      if (!result.ok) return answerRefusal(input.mode, result, result.code === "reauthentication_required" ? CONFIRM_FORM : back);
      return operatorDone(request, found.id, options.notice);
    },
  });
}

export function answerThrown(request: Request, error: unknown): Response {
  const where = `${request.method} ${new URL(request.url).pathname}`;
  let code: "busy" | "store_unavailable" | "internal_error";
  let headers: Record<string, string> | undefined;
  if (error instanceof BusyError) {
    code = "busy";
    headers = { "retry-after": String(error.retryAfterSeconds) };
  } else if (isStoreFault(error)) {
    log().error({ requestId: requestIdOf(request), fault: error instanceof Error ? error.message : String(error) }, `${where}: the store is unavailable`);
    metrics().storeFaults.inc();
    if (routeLabel(new URL(request.url).pathname) === "/api/auth/refresh") metrics().refreshes.inc({ outcome: "unavailable" });
    code = "store_unavailable";
    headers = { "retry-after": "5" };
  } else {
    log().error({ requestId: requestIdOf(request), err: error }, `${where} failed with a bug (answered 500 internal_error)`);
    metrics().bugs.inc();
    code = "internal_error";
  }
  // A plain form goes back to the page it came from, which shows the code's words; the cookies
  // stay either way.
  const back = inputMode(request) === "form" ? formPage(request) : null;
  return back ? seeOther(`${back}?error=${code}`) : errorResponse(apiError(code), headers);
}

const requestIdOf = (request: Request) => request.headers.get(REQUEST_ID_HEADER) ?? undefined;

/**
 * One line per route-handler request: its id (from the middleware), method, route pattern, status,
 * duration, who (when the middleware verified an access token) and from where.
 */
function logRequest(request: Request, status: number, seconds: number): void {
  log().info(
    {
      requestId: requestIdOf(request),
      method: request.method,
      route: routeLabel(new URL(request.url).pathname),
      status,
      durationMs: Math.round(seconds * 10_000) / 10,
      userId: request.headers.get(USER_ID_HEADER) ?? undefined,
      sessionId: request.headers.get(SESSION_ID_HEADER) ?? undefined,
      ip: clientInfo(request, getConfig().trustedProxies).ip ?? undefined,
    },
    "request",
  );
}

/** The same-origin page a form was posted from, as a path; null when it cannot be told. */
function formPage(request: Request): string | null {
  const referer = request.headers.get("referer");
  if (!referer) return null;
  try {
    const from = new URL(referer);
    if (from.origin !== new URL(request.url).origin && from.host !== request.headers.get("host")) return null;
    const page = safeNextPath(from.pathname);
    // safeNextPath refuses the sign-in pages as destinations after signing in; here they are
    // exactly where a failed sign-in form should go back to.
    return /^\/(login|register)$/.test(from.pathname) ? from.pathname : page;
  } catch {
    return null;
  }
}
