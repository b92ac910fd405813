import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { it } from "node:test";
import { createLogger } from "./log";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger("info", stream) };
}

it("redaction cannot be forgotten: cookies, authorization, passwords, tokens and codes never reach a line", () => {
  const { lines, logger } = capture();
  const secrets = ["hunter2-password", "kc_refresh=abc123", "Bearer sk-live-1", "refresh-token-value", "access-token-value", "482913", "https://k.test/reset?token=zzz"];
  logger.info(
    {
      password: secrets[0],
      headers: { cookie: secrets[1], authorization: secrets[2] },
      body: { currentPassword: secrets[0], newPassword: secrets[0] },
      session: { refreshToken: secrets[3], accessToken: secrets[4] },
      verification: { code: secrets[5], link: secrets[6] },
    },
    "a careless call",
  );
  const output = lines.join("");
  assert.match(output, /"msg":"a careless call"/);
  assert.match(output, /\[redacted\]/);
  for (const secret of secrets) assert.ok(!output.includes(secret), `${secret} reached the log`);
});

it("each line is one JSON object with time, level and message", () => {
  const { lines, logger } = capture();
  logger.warn({ event: "refresh_token_reused", userId: "u1" }, "security event");
  const line = JSON.parse(lines[0]);
  assert.equal(line.level, 40);
  assert.equal(line.event, "refresh_token_reused");
  assert.match(line.time, /^\d{4}-\d\d-\d\dT/);
});
