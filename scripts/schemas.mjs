// Two Prisma schemas, one source. prisma/schema.prisma (SQLite) is the one people edit; the
// PostgreSQL schema is derived from it, because Prisma refuses `provider = env(...)` and each
// provider needs its own generated client. Both files are committed so that a reader sees them;
// `npm run db:schema` rewrites the derived one, and a test fails when the two disagree.
//
//   node scripts/schemas.mjs        # rewrite prisma/postgres/schema.prisma
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export const DATABASES = {
  sqlite: {
    provider: "sqlite",
    schema: path.join(root, "prisma", "schema.prisma"),
    migrations: path.join(root, "prisma", "migrations"),
  },
  postgres: {
    provider: "postgresql",
    schema: path.join(root, "prisma", "postgres", "schema.prisma"),
    migrations: path.join(root, "prisma", "postgres", "migrations"),
  },
};

const DERIVED_HEADER = `// GENERATED from prisma/schema.prisma by \`npm run db:schema\`: edit that file, not this one.
// Only the provider and the client's output folder differ.
`;

/** The PostgreSQL schema for a SQLite schema text. Throws if the text does not have the expected shape. */
export function postgresSchemaFrom(sqlite) {
  const replace = (text, from, to) => {
    if (!text.includes(from)) throw new Error(`prisma/schema.prisma no longer contains ${from}; update scripts/schemas.mjs`);
    return text.replace(from, to);
  };
  let schema = replace(sqlite, 'provider = "sqlite"', 'provider = "postgresql"');
  schema = replace(schema, 'output   = "../lib/generated/sqlite"', 'output   = "../../lib/generated/postgres"');
  // Lines only PostgreSQL understands are written in the SQLite schema as `// postgresql: …`.
  schema = schema.replace(/^(\s*)\/\/ postgresql: (.*)$/gm, "$1$2");
  return DERIVED_HEADER + schema;
}

export function derivedPostgresSchema() {
  return postgresSchemaFrom(fs.readFileSync(DATABASES.sqlite.schema, "utf8"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.dirname(DATABASES.postgres.schema), { recursive: true });
  fs.writeFileSync(DATABASES.postgres.schema, derivedPostgresSchema());
  console.log(`wrote ${path.relative(root, DATABASES.postgres.schema)}`);
}
