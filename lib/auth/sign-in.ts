// The end of a successful sign-up or sign-in: a new session, its cookies, and the answer. Node only.
import { NextResponse } from "next/server";
import { getDb } from "@/lib/db";
import type { Config } from "@/lib/env";
import { NO_STORE } from "@/lib/http/errors";
import type { InputMode } from "@/lib/http/read-input";
import { clientInfo } from "@/lib/http/client-info";
import { safeNextPath } from "@/lib/http/next-path";
import { seeOther } from "./answers";
import { issueTokens, setCookies } from "./issue-tokens";
import { pruneNowAndThen } from "./prune";
import { recordSecurityEvent } from "./security-events";
import { createSession } from "./session-store";
import type { PublicUser } from "./users";

export async function startSession(
  request: Request,
  answer: { mode: InputMode; status: 200 | 201; user: PublicUser; persistent: boolean; next?: string },
  config: Config,
  now: Date,
): Promise<NextResponse> {
  const db = getDb();
  const client = clientInfo(request);
  const issued = await createSession(db, { userId: answer.user.id, persistent: answer.persistent, ...client }, config, now);
  await recordSecurityEvent(db, { userId: answer.user.id, sessionId: issued.session.id, type: "signed_in" }, client, now);
  pruneNowAndThen(db, now);
  const tokens = await issueTokens(issued, config, now);
  const response =
    answer.mode === "form"
      ? seeOther(safeNextPath(answer.next))
      : NextResponse.json({ user: answer.user }, { status: answer.status, headers: { "cache-control": NO_STORE } });
  return setCookies(response, tokens.cookies);
}
