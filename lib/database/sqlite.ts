// SQLite through better-sqlite3: one connection per process, in the mode a server needs.
//
// Prisma's better-sqlite3 adapter runs every query on that one connection. It queues
// transactions behind each other, but a plain query from another request still runs whenever it
// is called, so between one request's BEGIN and its COMMIT or ROLLBACK it becomes part of that
// transaction: it reads what is not yet committed, and its write is undone if that transaction
// rolls back. A losing refresh rolls back as a matter of course (ADR 0003), so a sign-out or a
// security event recorded at that moment would silently vanish. The gate below makes plain
// queries wait while a transaction is open; transactions are a few statements long, so the wait
// is short. (Inside an interactive `$transaction(async (tx) => …)`, query through `tx`: a query
// through the outer client would wait for the very transaction it runs in.)
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { ColumnDefinition, Database, Statement } from "better-sqlite3";

type Factory = PrismaBetterSqlite3;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** Waits for the busy timeout when another process (a second instance, a migration) is writing. */
export const BUSY_TIMEOUT_MS = 5000;

export function sqliteAdapter(file: string): Factory {
  const factory = new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    reusingStatements(clientOf(adapter));
    return gated(adapter);
  };
  return factory;
}

/** The adapter's better-sqlite3 connection (a field it does not type): refused loudly if it moves. */
function clientOf(adapter: Adapter): Database {
  const client = (adapter as unknown as { client?: Database }).client;
  if (typeof client?.prepare !== "function") {
    throw new Error("@prisma/adapter-better-sqlite3 no longer exposes its connection as `client`: lib/database/sqlite.ts needs updating");
  }
  return client;
}

// How many statements one connection keeps prepared: far more than the app's distinct queries
// (a few hundred), few enough that queries whose text varies (an IN list of any length) cannot
// grow it without bound. The least recently used goes first.
const KEPT_STATEMENTS = 1000;

/**
 * The adapter prepares every query anew (`client.prepare(sql).bind(args)`), and on a short query
 * preparing costs as much as running it (measured: a refresh spent 0.2 ms of its 4 ms there, and
 * another 0.06 ms reading the columns' names again). This keeps each SQL text's statement and its
 * columns, and hands the adapter a one-use binding of it: better-sqlite3 binds a statement for
 * good, so the adapter's own `bind` cannot be called on a kept one.
 *
 * The adapter's own BEGIN does nothing: gated() (below) has begun the transaction already.
 */
function reusingStatements(client: Database): void {
  const prepare = client.prepare.bind(client);
  const kept = new Map<string, Kept>();
  const keptFor = (sql: string): Kept => {
    if (sql === "BEGIN") return ALREADY_BEGUN;
    let found = kept.get(sql);
    if (found) {
      kept.delete(sql);
    } else {
      const statement = prepare(sql);
      found = { statement, columns: statement.reader ? statement.columns() : [] };
      if (kept.size >= KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
    }
    kept.set(sql, found);
    return found;
  };
  // Only what the adapter calls (pinned version: package.json); sqlite.test.ts runs each path.
  const boundOnce = ({ statement, columns }: Kept, args: unknown[]) => ({
    reader: statement.reader,
    run: () => statement.run(args),
    columns: () => columns,
    raw: () => ({ all: () => statement.raw(true).all(args) }),
  });
  client.prepare = ((sql: string) => {
    const found = keptFor(sql);
    return { ...boundOnce(found, []), bind: (args: unknown[]) => boundOnce(found, args) };
  }) as unknown as Database["prepare"];
}

type Kept = { statement: Statement; columns: ColumnDefinition[] };
const ALREADY_BEGUN = { statement: { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) }, columns: [] } as unknown as Kept;

/**
 * `adapter` with plain queries held back while one of its transactions is open or waiting, and
 * transactions that begin IMMEDIATE.
 *
 * The adapter's plain BEGIN takes no lock until the first write; when another process (a second
 * instance, the admin CLI) has written meanwhile, that write cannot wait for it and fails at once
 * with SQLITE_BUSY (answered 503). IMMEDIATE takes the write lock at BEGIN, where the busy timeout
 * does wait. It begins here, not in the adapter: the adapter takes a lock of its own before its
 * BEGIN and never releases it if BEGIN fails, which IMMEDIATE can (another process holding the
 * database past the busy timeout), and every later query would then wait for ever.
 */
function gated(adapter: Adapter): Adapter {
  // Transactions take turns here (so the adapter's own lock never waits); `waiting` counts the
  // open one and those queued behind it, and `queue` settles when the last of them ends.
  let queue: Promise<void> = Promise.resolve();
  let waiting = 0;
  const idle = async () => {
    while (waiting > 0) await queue;
  };
  const whenIdle =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await idle();
      return run(...args);
    };

  return Object.assign(Object.create(adapter) as Adapter, {
    queryRaw: whenIdle(adapter.queryRaw.bind(adapter)),
    executeRaw: whenIdle(adapter.executeRaw.bind(adapter)),
    executeScript: whenIdle(adapter.executeScript.bind(adapter)),
    startTransaction: async (isolationLevel?: Parameters<Adapter["startTransaction"]>[0]): Promise<Transaction> => {
      waiting++;
      const turn = queue;
      let end!: () => void;
      const mine = new Promise<void>((resolve) => (end = resolve));
      queue = turn.then(() => mine);
      await turn;
      let transaction: Transaction;
      let begun = false;
      try {
        await adapter.executeRaw({ sql: "BEGIN IMMEDIATE", args: [], argTypes: [] });
        begun = true;
        transaction = await adapter.startTransaction(isolationLevel);
      } catch (error) {
        if (begun) await adapter.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => undefined);
        waiting--;
        end();
        throw error;
      }
      const finish = (close: () => Promise<void>) => async () => {
        try {
          await close();
        } finally {
          waiting--;
          end();
        }
      };
      return Object.assign(Object.create(transaction) as Transaction, {
        commit: finish(() => transaction.commit()),
        rollback: finish(() => transaction.rollback()),
      });
    },
  });
}
