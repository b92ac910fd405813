// The end of a successful sign-up or sign-in: a new session, its cookies, and the answer. Node only.
import { NextResponse } from "next/server";
import { getDb } from "@/lib/db";
import type { Config } from "@/lib/env";
import { NO_STORE } from "@/lib/http/errors";
import type { InputMode } from "@/lib/http/read-input";
import { clientInfo } from "@/lib/http/client-info";
import { safeNextPath } from "@/lib/http/next-path";
import { seeOther } from "./credentials-response";
import { issueTokens, setCookies } from "./issue-tokens";
import { createSession } from "./session-store";
import type { PublicUser } from "./users";

export async function startSession(
  request: Request,
  answer: { mode: InputMode; status: 200 | 201; user: PublicUser; persistent: boolean; next?: string },
  config: Config,
  now: Date,
): Promise<NextResponse> {
  const issued = await createSession(
    getDb(),
    { userId: answer.user.id, persistent: answer.persistent, ...clientInfo(request) },
    config,
    now,
  );
  const tokens = await issueTokens(issued, config, now);
  const response =
    answer.mode === "form"
      ? seeOther(safeNextPath(answer.next))
      : NextResponse.json({ user: answer.user }, { status: answer.status, headers: { "cache-control": NO_STORE } });
  return setCookies(response, tokens.cookies);
}
