// Prisma's own schema engine, compiled to WebAssembly, driven through the driver adapters: the
// offline stand-in for `prisma migrate dev` (Prisma 7's CLI downloads a native engine first, which
// fails without internet). Used to write new migrations and by the test that proves the committed
// migrations produce exactly the schema. Applying migrations is scripts/migrate.mjs's job.
//
//   node scripts/schema-engine.mjs new <name>   # write the migration for each database
//
// PostgreSQL needs a server to replay its migrations on: TEST_DATABASE_URL_POSTGRES.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { DATABASES, derivedPostgresSchema } from "./schemas.mjs";

const require = createRequire(import.meta.url);
const FILTERS = { externalTables: [], externalEnums: [] };

let loaded;
let panic = "";
/** The engine's WebAssembly module, loaded once and by hand: Node 20 cannot import .wasm files. */
async function engineModule() {
  loaded ??= loadEngineModule();
  return loaded;
}

async function loadEngineModule() {
  // Where the engine leaves the message of a Rust panic before it throws.
  globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (message) => (panic = message) };
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const bindings = await import(path.join(dir, "schema_engine_bg.js"));
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(path.join(dir, "schema_engine_bg.wasm")), {
    "./schema_engine_bg.js": bindings,
  });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bindings;
}

/** SQLite, everything in memory. The engine replays whole migration files through executeRaw,
 *  which better-sqlite3 refuses for more than one statement: those go through executeScript. */
function sqliteFactory() {
  const inner = new PrismaBetterSqlite3({ url: ":memory:" }, { shadowDatabaseUrl: ":memory:" });
  const scripted = (adapter) => {
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      if (query.args.length === 0 && /;\s*\S/.test(query.sql.trim().replace(/;\s*$/, ""))) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      return executeRaw(query);
    };
    return adapter;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => scripted(await inner.connect()),
    connectToShadowDb: async () => scripted(await inner.connectToShadowDb()),
  };
}

/** PostgreSQL: a throw-away shadow database per engine, dropped when the engine lets it go. */
function postgresFactory(serverUrl) {
  const url = new URL(serverUrl);
  // Separate fields, not a connection string: with { connectionString } the URL's database would
  // win over the shadow database's name.
  const fields = {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
  };
  const admin = async (sql) => {
    const client = new pg.Client(fields);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  // adapter-pg cannot read PostgreSQL's internal "char" type (OID 18), which the engine's
  // catalog queries select: read it as text.
  const readable = (adapter) => {
    let proto = Object.getPrototypeOf(adapter);
    while (proto && !Object.hasOwn(proto, "performIO")) proto = Object.getPrototypeOf(proto);
    if (proto && !proto.keycardCharAsText) {
      const performIO = proto.performIO;
      proto.performIO = async function (query) {
        const result = await performIO.call(this, query);
        for (const field of result?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
        return result;
      };
      proto.keycardCharAsText = true;
    }
    return adapter;
  };
  const inner = new PrismaPg(fields);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => readable(await inner.connect()),
    connectToShadowDb: async () => {
      const name = `keycard_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
      await admin(`CREATE DATABASE "${name}"`);
      const adapter = readable(await new PrismaPg({ ...fields, database: name }).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose(); // the pool first, or the drop finds it still connected
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
}

const lockFile = (provider) =>
  `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;

function migrationsList({ migrations: dir, provider }) {
  const names = fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const lock = path.join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: fs.existsSync(lock) ? fs.readFileSync(lock, "utf8") : lockFile(provider) },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") } },
    })),
  };
}

/**
 * The SQL that would take a database built from `kind`'s committed migrations to its schema:
 * empty when they agree. `postgresUrl` is the server the PostgreSQL migrations are replayed on.
 */
export async function pendingSchemaChange(kind, postgresUrl) {
  const database = DATABASES[kind];
  const schema = kind === "postgres" ? derivedPostgresSchema() : fs.readFileSync(database.schema, "utf8");
  if (kind === "postgres" && !postgresUrl) throw new Error("PostgreSQL migrations need a server: set TEST_DATABASE_URL_POSTGRES");
  const { SchemaEngine } = await engineModule();
  const factory = bindMigrationAwareSqlAdapterFactory(kind === "postgres" ? postgresFactory(postgresUrl) : sqliteFactory());
  const files = [{ path: database.schema, content: schema }];
  const engine = await SchemaEngine.new({ datamodels: [[database.schema, schema]] }, () => {}, factory);
  try {
    const result = await engine.diff({
      from: { tag: "migrations", ...migrationsList(database) },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: FILTERS,
    });
    const sql = result.stdout ?? "";
    return /^\s*(-- This is an empty migration\.)?\s*$/.test(sql) ? "" : sql;
  } catch (error) {
    throw panic ? new Error(`schema engine panicked: ${panic}`) : error;
  } finally {
    engine.free?.();
  }
}

async function newMigration(name) {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  for (const kind of Object.keys(DATABASES)) {
    const sql = await pendingSchemaChange(kind, process.env.TEST_DATABASE_URL_POSTGRES);
    if (!sql) {
      console.log(`${kind}: no change`);
      continue;
    }
    const dir = path.join(DATABASES[kind].migrations, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    const lock = path.join(DATABASES[kind].migrations, "migration_lock.toml");
    if (!fs.existsSync(lock)) fs.writeFileSync(lock, lockFile(DATABASES[kind].provider));
    console.log(`${kind}: wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
}

// No top-level await: the tests import this file through tsx, which compiles it to CommonJS.
async function main() {
  const [command, name] = process.argv.slice(2);
  if (command !== "new" || !name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("usage: npm run db:new-migration -- <name_in_snake_case>");
    process.exit(2);
  }
  try {
    await newMigration(name);
    process.exit(0); // pg pools would otherwise keep the process alive for their idle timeout
  } catch (error) {
    console.error(`Could not write the migration: ${error.message}`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
