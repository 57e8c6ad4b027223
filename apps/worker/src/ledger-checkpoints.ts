import { newId } from "@junction/core";
import type { Db } from "@junction/db";

/**
 * Ledger checkpoints: `balance = checkpoint.balance + Σ entries with createdAt > checkpoint.throughAt` (see
 * ledgerBalance/settledBalance in @junction/db). A checkpoint must hold *every* entry that will ever have
 * `createdAt <= throughAt`, including ones whose transaction has not committed yet: an entry committed after the
 * checkpoint with an earlier timestamp would otherwise be missed forever.
 *
 * How: ledger writers stamp `createdAt` with the database's `now()`, which is their transaction's start time
 * (`xact_start` in pg_stat_activity). So once no open transaction started before T, no entry stamped <= T can
 * still appear. The horizon is `min(now, oldest open client transaction's start) − margin`, read in one statement;
 * the sums are read in a later statement (a later snapshot), so every transaction that was open at the first
 * statement is past the horizon and every one that committed before the second is counted. The margin also
 * covers writers that stamp with an application clock inside their transaction (Prisma's `@default(now())`
 * is filled in by the client), as long as that clock is within the margin of the database's.
 */
export type CheckpointOptions = {
  /** Safety margin behind the horizon (default 5 minutes). */
  marginMs?: number;
  /** Only checkpoint an organization with at least this many entries since its last checkpoint (default 100). */
  minEntries?: number;
  /** Checkpoints kept per organization (the newest; default 3). */
  keep?: number;
};

export type CheckpointRun = {
  horizon: string | null;
  written: number;
  pruned: number;
  skipped?: string;
};

/** The latest instant every ledger entry at or before which is already committed, or a reason there is none. */
export async function checkpointHorizon(db: Db, marginMs: number): Promise<Date | string> {
  const rows = await db.$queryRaw<{ now: Date; oldest: Date | null; hidden: number }[]>`
    SELECT now() AS "now",
      (SELECT min("xact_start") FROM pg_stat_activity
        WHERE "datname" = current_database() AND "backend_type" = 'client backend'
          AND "pid" <> pg_backend_pid()) AS "oldest",
      (SELECT count(*)::int FROM pg_stat_activity
        WHERE "datname" = current_database() AND "query" = '<insufficient privilege>') AS "hidden"`;
  const row = rows[0];
  if (!row) return "no answer from pg_stat_activity";
  // Sessions of other roles hide their transaction start: their entries could be anywhere in time.
  if (row.hidden > 0) return `${row.hidden} sessions hidden from pg_stat_activity (grant pg_read_all_stats)`;
  const limit = row.oldest && row.oldest < row.now ? row.oldest : row.now;
  // Whole seconds, and 1 ms more: createdAt is timestamp(3) (rounded, so up to 0.5 ms before xact_start), and
  // throughAt must compare exactly with it.
  return new Date(Math.floor((limit.getTime() - marginMs - 1) / 1000) * 1000);
}

export async function writeLedgerCheckpoints(
  db: Db,
  options: CheckpointOptions = {},
): Promise<CheckpointRun> {
  const horizon = await checkpointHorizon(db, options.marginMs ?? 5 * 60_000);
  if (typeof horizon === "string") return { horizon: null, written: 0, pruned: 0, skipped: horizon };
  // Per organization, from its latest checkpoint (or the beginning) through the horizon; index range scans only.
  const due = await db.$queryRaw<
    {
      organizationId: string;
      base: bigint | null;
      delta: bigint;
      entries: number;
      lastEntryId: string | null;
    }[]
  >`
    SELECT o."id" AS "organizationId", cp."balance" AS "base", agg."delta", agg."entries", last."id" AS "lastEntryId"
    FROM "Organization" o
    LEFT JOIN LATERAL (
      SELECT "balance", "throughAt" FROM "LedgerCheckpoint" c WHERE c."organizationId" = o."id"
      ORDER BY "throughAt" DESC, "id" DESC LIMIT 1
    ) cp ON true
    CROSS JOIN LATERAL (
      SELECT COALESCE(SUM("amount"), 0)::bigint AS "delta", count(*)::int AS "entries" FROM "CreditLedgerEntry" e
      WHERE e."organizationId" = o."id" AND e."createdAt" <= ${horizon}
        AND e."createdAt" > COALESCE(cp."throughAt", '-infinity'::timestamp)
    ) agg
    LEFT JOIN LATERAL (
      SELECT "id" FROM "CreditLedgerEntry" e
      WHERE e."organizationId" = o."id" AND e."createdAt" <= ${horizon}
      ORDER BY "createdAt" DESC, "id" DESC LIMIT 1
    ) last ON true
    WHERE agg."entries" >= ${options.minEntries ?? 100} AND agg."entries" > 0`;
  if (due.length) {
    await db.ledgerCheckpoint.createMany({
      data: due.map((row) => ({
        id: newId("checkpoint"),
        organizationId: row.organizationId,
        balance: (row.base ?? 0n) + row.delta,
        throughEntryId: row.lastEntryId ?? "",
        throughAt: horizon,
      })),
    });
  }
  const pruned = await db.$executeRaw`
    DELETE FROM "LedgerCheckpoint" c USING (
      SELECT "id", row_number() OVER (PARTITION BY "organizationId" ORDER BY "throughAt" DESC, "id" DESC) AS "rank"
      FROM "LedgerCheckpoint"
    ) ranked
    WHERE c."id" = ranked."id" AND ranked."rank" > ${options.keep ?? 3}`;
  return { horizon: horizon.toISOString(), written: due.length, pruned };
}

export type CheckpointMismatch = {
  organizationId: string;
  checkpointId: string;
  throughAt: string;
  stored: string;
  actual: string;
};

/**
 * Recomputes every organization's latest checkpoint from the whole ledger. A mismatch (an entry stamped before
 * the horizon that committed after it — a writer breaking the clock rule) is returned and, with `repair`, that
 * organization's checkpoints are deleted: its balance falls back to the plain sum, and the next run rebuilds them.
 */
export async function verifyLedgerCheckpoints(
  db: Db,
  options: { repair?: boolean } = {},
): Promise<{ checked: number; mismatches: CheckpointMismatch[] }> {
  const rows = await db.$queryRaw<
    { organizationId: string; checkpointId: string; throughAt: Date; stored: bigint; actual: bigint }[]
  >`
    SELECT cp."organizationId", cp."id" AS "checkpointId", cp."throughAt", cp."balance" AS "stored",
      (SELECT COALESCE(SUM("amount"), 0)::bigint FROM "CreditLedgerEntry" e
        WHERE e."organizationId" = cp."organizationId" AND e."createdAt" <= cp."throughAt") AS "actual"
    FROM (
      SELECT DISTINCT ON ("organizationId") * FROM "LedgerCheckpoint"
      ORDER BY "organizationId", "throughAt" DESC, "id" DESC
    ) cp`;
  const mismatches = rows
    .filter((row) => row.stored !== row.actual)
    .map((row) => ({
      organizationId: row.organizationId,
      checkpointId: row.checkpointId,
      throughAt: row.throughAt.toISOString(),
      stored: row.stored.toString(),
      actual: row.actual.toString(),
    }));
  if (options.repair && mismatches.length) {
    await db.ledgerCheckpoint.deleteMany({
      where: { organizationId: { in: mismatches.map((mismatch) => mismatch.organizationId) } },
    });
  }
  return { checked: rows.length, mismatches };
}
