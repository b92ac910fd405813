import assert from "node:assert/strict";
import { it } from "node:test";
import { credentialsFromForm, loginInput, registerInput } from "@/lib/edge/credentials";
import { readInput } from "./read-input";

const post = (body: string, type = "application/json") =>
  new Request("http://keycard.test/api/auth/login", { method: "POST", headers: { "content-type": type }, body });
const read = (request: Request, schema = loginInput) =>
  readInput(request, schema, { maxBytes: 1024, formToObject: credentialsFromForm });

it("accepts JSON and forms, trimming and lower-casing the email", async () => {
  const json = await read(post(JSON.stringify({ email: "  Ada@Example.COM ", password: "secret-pass" })));
  assert.deepEqual(json, { ok: true, mode: "json", data: { email: "ada@example.com", password: "secret-pass", remember: true } });
  const form = await read(post("email=ada%40example.com&password=secret-pass&next=%2Fdashboard", "application/x-www-form-urlencoded"));
  assert.deepEqual(form, {
    ok: true,
    mode: "form",
    data: { email: "ada@example.com", password: "secret-pass", remember: false, next: "/dashboard" },
  });
});

it("answers each kind of bad body with its own 4xx code", async () => {
  const cases: [Request, number, string][] = [
    [post("{nope"), 400, "malformed_json"],
    [post("[1,2]"), 400, "invalid_body"],
    [post("null"), 400, "invalid_body"],
    [post("email=a", "text/plain"), 415, "unsupported_media_type"],
    [post("x".repeat(2000)), 413, "body_too_large"],
    [post(JSON.stringify({ email: "a@b.co", password: "pw", admin: true })), 400, "unknown_fields"],
    [post(JSON.stringify({ email: 42, password: false })), 400, "validation_failed"],
  ];
  for (const [request, status, code] of cases) {
    const result = await read(request);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.deepEqual([result.error.status, result.error.code], [status, code]);
  }
});

it("refuses passwords bcrypt would truncate, counting bytes not characters", async () => {
  const at72 = "é".repeat(36); // 72 bytes
  const at74 = "é".repeat(37);
  assert.equal((await read(post(JSON.stringify({ email: "a@b.co", password: at72 })), registerInput)).ok, true);
  const long = await read(post(JSON.stringify({ email: "a@b.co", password: at74 })), registerInput);
  assert.ok(!long.ok);
  assert.equal(long.error.fields?.password, "password_too_long");
  const short = await read(post(JSON.stringify({ email: "a@b.co", password: "1234567" })), registerInput);
  assert.ok(!short.ok);
  assert.equal(short.error.fields?.password, "password_too_short");
});
