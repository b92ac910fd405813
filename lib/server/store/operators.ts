// Operators and what they did: the role, the append-only audit log, and finding people. Node only.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db";
import type { AUDIT_ACTION_NAMES } from "@/lib/edge/credentials";

/** What the audit log records; the names are the edge's too (its filters are checked there). */
export type AuditAction = (typeof AUDIT_ACTION_NAMES)[number];

export type AuditInput = {
  operatorId: string | null;
  operator: string;
  action: AuditAction;
  userId: string | null;
  userEmail: string | null;
  reason?: string | null;
  detail?: string | null;
  ip?: string | null;
  sessionId?: string | null;
};

/** One row of the audit log, in the caller's transaction (the action and its record stand or fall together). */
export async function appendAudit(tx: DbOrTx, entry: AuditInput, now: Date): Promise<void> {
  await tx.auditEntry.create({
    data: {
      id: randomUUID(),
      createdAt: now,
      operatorId: entry.operatorId,
      operator: entry.operator,
      action: entry.action,
      userId: entry.userId,
      userEmail: entry.userEmail,
      reason: entry.reason ?? null,
      detail: entry.detail ?? null,
      ip: entry.ip ?? null,
      sessionId: entry.sessionId ?? null,
    },
  });
}

export type AuditFilter = { operatorId?: string; userId?: string; action?: AuditAction };

/** Entries newest first, `limit` at a time; `before` is the last entry's id of the page before. */
export async function listAudit(db: Db, filter: AuditFilter, page: { limit: number; before?: string }) {
  const where = {
    ...(filter.operatorId ? { operatorId: filter.operatorId } : {}),
    ...(filter.userId ? { userId: filter.userId } : {}),
    ...(filter.action ? { action: filter.action } : {}),
  };
  const rows = await db.auditEntry.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.before ? { cursor: { id: page.before }, skip: 1 } : {}),
  });
  return { entries: rows.slice(0, page.limit), more: rows.length > page.limit };
}

/** Every entry, oldest first, in batches (the export streams them). */
export async function* allAudit(db: Db, batch = 500) {
  let after: string | undefined;
  for (;;) {
    const rows = await db.auditEntry.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: batch, ...(after ? { cursor: { id: after }, skip: 1 } : {}) });
    yield* rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1].id;
  }
}

/** Whether the account holds the operator role now (read on every operator request). */
export async function operatorOf(db: DbOrTx, userId: string): Promise<{ email: string; operatorSince: Date } | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, operatorSince: true } });
  return user?.operatorSince ? { email: user.email, operatorSince: user.operatorSince } : null;
}

/** Grants or revokes the role; false when it was already so. In the caller's transaction. */
export async function setOperator(tx: DbOrTx, userId: string, on: boolean, now: Date): Promise<boolean> {
  const { count } = await tx.user.updateMany({ where: { id: userId, operatorSince: on ? null : { not: null } }, data: { operatorSince: on ? now : null } });
  return count === 1;
}

export async function listOperators(db: Db) {
  return db.user.findMany({ where: { operatorSince: { not: null } }, select: { id: true, email: true, operatorSince: true }, orderBy: { email: "asc" } });
}

/**
 * People whose address starts with `prefix` (addresses are stored lower-case), in address order,
 * `limit` at a time after `after`. Each database by its index: SQLite reads the unique index as a
 * range; PostgreSQL matches LIKE 'prefix%' on its pattern index (a range there would follow the
 * database's collation, which need not be byte order).
 */
export async function findPeople(db: Db, input: { prefix: string; after?: string; limit: number; postgres: boolean }) {
  const prefix = input.prefix.toLowerCase();
  const match = input.postgres
    ? // Prisma passes the prefix to LIKE as it is: % and _ would be wildcards.
      { startsWith: prefix.replace(/[\\%_]/g, (c) => `\\${c}`) }
    : // U+10FFFF sorts after every character that can follow the prefix (SQLite compares bytes).
      { gte: prefix, lt: `${prefix}\u{10FFFF}` };
  const rows = await db.user.findMany({
    where: { email: { ...match, ...(input.after ? { gt: input.after } : {}) } },
    orderBy: { email: "asc" },
    take: input.limit + 1,
    select: { id: true, email: true, emailVerifiedAt: true, createdAt: true, lockedAt: true, operatorSince: true },
  });
  return { people: rows.slice(0, input.limit), more: rows.length > input.limit };
}
