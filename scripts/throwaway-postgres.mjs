// Throw-away PostgreSQL databases for tests and benchmarks: created empty on the server a URL
// names, dropped afterwards even if something still holds a connection.
import { randomBytes } from "node:crypto";
import pg from "pg";

async function onServer(serverUrl, sql) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database beside the one `serverUrl` names: its URL, and how to drop it. */
export async function createThrowawayDatabase(serverUrl, prefix = "keycard_test") {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
