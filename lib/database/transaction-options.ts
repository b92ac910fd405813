// How long an interactive transaction may wait to start and to run, on both databases. Prisma's
// defaults (2 s to start, 5 s to run) are shorter than SQLite's busy timeout (5 s, while another
// process writes) and than a PostgreSQL connection wait: a transaction would give up first, with
// an error that reads like a bug. These are longer, so the database's own wait decides, and what
// fails is reported as the fault it is (lib/server/faults.ts).
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };
