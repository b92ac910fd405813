// The operator role, from the command line on the server — never from a request (docs/decisions/
// 0012-operators.md). Each change is written to the audit log, as the console's own actions are.
//
//   npm run admin -- grant <email>    the account may use the operator console (/admin)
//   npm run admin -- revoke <email>   it may not, from its next request on, on every instance
//   npm run admin -- list             who may
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "@/lib/db";
import { appendAudit, listOperators, setOperator } from "@/lib/server/store/operators";

const [command, address] = process.argv.slice(2);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** DATABASE_URL from the environment, else from the .env `npm start` wrote. */
function databaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const envFile = path.join(process.cwd(), ".env");
  const line = fs.existsSync(envFile) ? /^DATABASE_URL=(.*)$/m.exec(fs.readFileSync(envFile, "utf8")) : null;
  if (!line) fail("DATABASE_URL is not set (run `npm start` once to write a .env, or set it).");
  return line[1].trim().replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
}

async function main() {
  if (!["grant", "revoke", "list"].includes(command ?? "") || (command !== "list" && !address)) {
    fail("Usage: npm run admin -- grant <email> | revoke <email> | list");
  }
  const db = createDb(databaseUrl());
  try {
    if (command === "list") {
      const operators = await listOperators(db);
      console.log(operators.length === 0 ? "No operators." : operators.map((o) => `${o.email}  (since ${o.operatorSince!.toISOString()})`).join("\n"));
      return;
    }
    const email = address.trim().toLowerCase();
    const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true } });
    if (!user) fail(`No account has the address ${email}.`);
    const on = command === "grant";
    const who = `command line (${os.userInfo().username}@${os.hostname()})`;
    const now = new Date();
    const changed = await db.$transaction(async (tx) => {
      if (!(await setOperator(tx, user.id, on, now))) return false;
      await appendAudit(tx, { operatorId: null, operator: who, action: on ? "role_granted" : "role_revoked", userId: user.id, userEmail: user.email }, now);
      return true;
    });
    if (!changed) {
      console.log(on ? `${email} is already an operator.` : `${email} is not an operator.`);
      return;
    }
    if (!on) return console.log(`${email} is no longer an operator: refused at its next request, on every instance.`);
    const [app, passkeys] = await Promise.all([db.totpFactor.findUnique({ where: { userId: user.id }, select: { confirmedAt: true } }), db.passkey.count({ where: { userId: user.id } })]);
    const strong = !!app?.confirmedAt || passkeys > 0;
    console.log(`${email} is an operator: the console is at /admin.${strong ? "" : " It opens once the account has two-step sign-in or a passkey (set up from /account)."}`);
  } finally {
    await db.$disconnect();
  }
}

// Top-level await is not available: tsx runs this file as CommonJS.
main().catch((error) => fail(`admin ${command} failed: ${error.message}`));
