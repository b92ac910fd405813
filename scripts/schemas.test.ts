import assert from "node:assert/strict";
import fs from "node:fs";
import { it } from "node:test";
import { TEST_DATABASE } from "@/lib/testing/test-db";
import { pendingSchemaChange } from "./schema-engine.mjs";
import { DATABASES, derivedPostgresSchema } from "./schemas.mjs";

it("the committed PostgreSQL schema is the one derived from prisma/schema.prisma (run `npm run db:schema`)", () => {
  assert.equal(fs.readFileSync(DATABASES.postgres.schema, "utf8"), derivedPostgresSchema());
});

// Each pass checks its own database's migrations against its schema, with Prisma's own engine:
// replayed on an empty database, they must leave nothing for a new migration to do.
it(`the committed ${TEST_DATABASE} migrations build exactly the schema (no drift)`, async () => {
  const sql = await pendingSchemaChange(TEST_DATABASE, process.env.TEST_DATABASE_URL_POSTGRES);
  assert.equal(sql, "", `the migrations and the schema disagree; \`npm run db:new-migration -- <name>\` would write:\n${sql}`);
});
