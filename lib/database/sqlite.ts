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

type Factory = PrismaBetterSqlite3;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** Waits for the busy timeout when another process (a second instance, a migration) is writing. */
export const BUSY_TIMEOUT_MS = 5000;

export function sqliteAdapter(file: string): Factory {
  const factory = new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => gated(await connect());
  return factory;
}

/** `adapter` with plain queries held back while one of its transactions is open or waiting. */
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
      try {
        transaction = await adapter.startTransaction(isolationLevel);
      } catch (error) {
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
