import type { Db } from "@junction/db";
import { verifyLedgerCheckpoints } from "./ledger-checkpoints.js";
import { log } from "./log.js";
import { addUtcMonths, startOfUtcMonth } from "./periods.js";

/**
 * Reconciliation: the money must agree wherever it is counted. Each check is one SQL statement (one snapshot), so
 * ingestion running at the same time cannot produce a false alarm.
 *   generations → ledger: every settled, ingested generation has exactly one usage debit, equal to −cost; no usage
 *     debit exists without its ingested generation.
 *   generations → rollups: per organization and hour, requests, tokens and cost of ingested generations equal the
 *     rollups.
 *   rollups → invoices: a finalized invoice's total equals the sum of its lines and the rollups of its period.
 *   ledger → checkpoints: every latest checkpoint equals the ledger summed through it (wrong ones are removed).
 * Nothing is stored: the discrepancies are logged and returned as the job's result.
 */
export type Discrepancy = {
  check: "generation_debit" | "orphan_debit" | "rollup_hour" | "invoice" | "checkpoint";
  organizationId: string | null;
  subject: string;
  expected: string;
  actual: string;
};

export type ReconcileReport = {
  from: string;
  to: string;
  ok: boolean;
  checked: { generations: number; hours: number; invoices: number; checkpoints: number };
  discrepancies: Discrepancy[];
};

async function generationDebits(db: Db, from: Date, to: Date, limit: number) {
  const [rows, counted] = await Promise.all([
    db.$queryRaw<
      { id: string; organizationId: string; cost: bigint; debits: number; debited: bigint | null }[]
    >`
      SELECT g."id", g."organizationId", g."cost", count(e."id")::int AS "debits", SUM(e."amount")::bigint AS "debited"
      FROM "Generation" g
      LEFT JOIN "CreditLedgerEntry" e ON e."generationId" = g."id" AND e."kind" = 'usage'
        AND e."organizationId" = g."organizationId"
      WHERE g."createdAt" >= ${from} AND g."createdAt" < ${to} AND g."status" <> 'pending'
        AND g."ingestedAt" IS NOT NULL
      GROUP BY g."id"
      HAVING count(e."id") <> 1 OR SUM(e."amount") IS DISTINCT FROM -g."cost"
      ORDER BY g."id" LIMIT ${limit}`,
    db.generation.count({
      where: { createdAt: { gte: from, lt: to }, status: { not: "pending" }, ingestedAt: { not: null } },
    }),
  ]);
  const found = rows.map(
    (row): Discrepancy => ({
      check: "generation_debit",
      organizationId: row.organizationId,
      subject: row.id,
      expected: `1 debit of ${-row.cost}`,
      actual: `${row.debits} debit(s) totalling ${row.debited ?? 0n}`,
    }),
  );
  return { found, counted };
}

/** Usage debits written since `from` (a debit is written after its generation, so this covers the window's). */
async function orphanDebits(db: Db, from: Date, limit: number): Promise<Discrepancy[]> {
  const rows = await db.$queryRaw<
    { id: string; organizationId: string; generationId: string | null; amount: bigint; state: string }[]
  >`
    SELECT e."id", e."organizationId", e."generationId", e."amount",
      CASE WHEN g."id" IS NULL THEN 'no generation' ELSE 'generation not ingested' END AS "state"
    FROM "CreditLedgerEntry" e
    LEFT JOIN "Generation" g ON g."id" = e."generationId"
    WHERE e."kind" = 'usage' AND e."createdAt" >= ${from}
      AND (g."id" IS NULL OR g."ingestedAt" IS NULL OR g."status" = 'pending')
    ORDER BY e."id" LIMIT ${limit}`;
  return rows.map((row) => ({
    check: "orphan_debit",
    organizationId: row.organizationId,
    subject: `${row.id} (${row.generationId ?? "no generation id"})`,
    expected: "an ingested generation",
    actual: `${row.state}, amount ${row.amount}`,
  }));
}

async function rollupHours(db: Db, windowFrom: Date, windowTo: Date, limit: number) {
  // Whole hours only: a partial hour at either end would compare part of a rollup with all of it.
  const from = new Date(Math.floor(windowFrom.getTime() / 3_600_000) * 3_600_000);
  const to = new Date(Math.floor(windowTo.getTime() / 3_600_000) * 3_600_000);
  const rows = await db.$queryRaw<
    {
      organizationId: string;
      hour: Date;
      genRequests: number;
      genCost: bigint;
      genTokens: bigint;
      rolRequests: number;
      rolCost: bigint;
      rolTokens: bigint;
    }[]
  >`
    WITH generations AS (
      SELECT "organizationId", date_trunc('hour', "createdAt") AS "hour", count(*)::int AS "requests",
        SUM("cost")::bigint AS "cost", SUM("promptTokens" + "completionTokens")::bigint AS "tokens"
      FROM "Generation"
      WHERE "createdAt" >= ${from} AND "createdAt" < ${to} AND "ingestedAt" IS NOT NULL AND "status" <> 'pending'
      GROUP BY 1, 2
    ), rollups AS (
      SELECT "organizationId", "hour", SUM("requests")::int AS "requests", SUM("cost")::bigint AS "cost",
        SUM("promptTokens" + "completionTokens")::bigint AS "tokens"
      FROM "UsageRollup" WHERE "hour" >= ${from} AND "hour" < ${to}
      GROUP BY 1, 2
    )
    SELECT COALESCE(g."organizationId", r."organizationId") AS "organizationId", COALESCE(g."hour", r."hour") AS "hour",
      COALESCE(g."requests", 0) AS "genRequests", COALESCE(g."cost", 0)::bigint AS "genCost",
      COALESCE(g."tokens", 0)::bigint AS "genTokens", COALESCE(r."requests", 0) AS "rolRequests",
      COALESCE(r."cost", 0)::bigint AS "rolCost", COALESCE(r."tokens", 0)::bigint AS "rolTokens"
    FROM generations g FULL OUTER JOIN rollups r ON r."organizationId" = g."organizationId" AND r."hour" = g."hour"
    ORDER BY 2, 1`;
  const found = rows
    .filter(
      (row) =>
        row.genRequests !== row.rolRequests || row.genCost !== row.rolCost || row.genTokens !== row.rolTokens,
    )
    .slice(0, limit)
    .map(
      (row): Discrepancy => ({
        check: "rollup_hour",
        organizationId: row.organizationId,
        subject: row.hour.toISOString(),
        expected: `${row.genRequests} requests, ${row.genTokens} tokens, cost ${row.genCost} (generations)`,
        actual: `${row.rolRequests} requests, ${row.rolTokens} tokens, cost ${row.rolCost} (rollups)`,
      }),
    );
  return { found, counted: rows.length };
}

async function finalizedInvoices(db: Db, from: Date, to: Date, limit: number) {
  const rows = await db.$queryRaw<
    {
      id: string;
      number: string | null;
      organizationId: string;
      total: bigint;
      lines: bigint;
      rollups: bigint;
    }[]
  >`
    SELECT i."id", i."number", i."organizationId", i."total",
      (SELECT COALESCE(SUM(l."amount"), 0)::bigint FROM "InvoiceLine" l WHERE l."invoiceId" = i."id") AS "lines",
      (SELECT COALESCE(SUM(r."cost"), 0)::bigint FROM "UsageRollup" r
        WHERE r."organizationId" = i."organizationId" AND r."hour" >= i."periodStart" AND r."hour" < i."periodEnd")
        AS "rollups"
    FROM "Invoice" i
    WHERE i."status" = 'finalized' AND i."periodEnd" > ${from} AND i."periodStart" < ${to}
    ORDER BY i."periodStart", i."id"`;
  const found = rows
    .filter((row) => row.total !== row.lines || row.total !== row.rollups)
    .slice(0, limit)
    .map(
      (row): Discrepancy => ({
        check: "invoice",
        organizationId: row.organizationId,
        subject: `${row.number ?? row.id}`,
        expected: `total ${row.total}`,
        actual: `lines ${row.lines}, rollups ${row.rollups}`,
      }),
    );
  return { found, counted: rows.length };
}

/**
 * Runs every check over generations created in [from, to) (default: from the start of the previous month, so
 * the month being invoiced is covered, to now).
 */
export async function reconcile(
  db: Db,
  options: {
    from?: Date;
    to?: Date;
    limit?: number;
    repairCheckpoints?: boolean;
    log?: (line: string) => void;
  } = {},
): Promise<ReconcileReport> {
  const to = options.to ?? new Date();
  const from = options.from ?? addUtcMonths(startOfUtcMonth(to), -1);
  const limit = options.limit ?? 100;
  const debits = await generationDebits(db, from, to, limit);
  const orphans = await orphanDebits(db, from, limit);
  const hours = await rollupHours(db, from, to, limit);
  const invoices = await finalizedInvoices(db, from, to, limit);
  const checkpoints = await verifyLedgerCheckpoints(db, { repair: options.repairCheckpoints ?? true });
  const discrepancies: Discrepancy[] = [
    ...debits.found,
    ...orphans,
    ...hours.found,
    ...invoices.found,
    ...checkpoints.mismatches.map(
      (mismatch): Discrepancy => ({
        check: "checkpoint",
        organizationId: mismatch.organizationId,
        subject: `${mismatch.checkpointId} through ${mismatch.throughAt}`,
        expected: `ledger sum ${mismatch.actual}`,
        actual: `checkpoint ${mismatch.stored}`,
      }),
    ),
  ];
  const report: ReconcileReport = {
    from: from.toISOString(),
    to: to.toISOString(),
    ok: discrepancies.length === 0,
    checked: {
      generations: debits.counted,
      hours: hours.counted,
      invoices: invoices.counted,
      checkpoints: checkpoints.checked,
    },
    discrepancies,
  };
  const warn = options.log ?? ((line: string) => log.warn(line));
  const info = options.log ?? ((line: string) => log.info(line));
  for (const found of discrepancies) {
    warn(
      `[reconcile] ${found.check} ${found.organizationId ?? "-"} ${found.subject}: expected ${found.expected}, got ${found.actual}`,
    );
  }
  (report.ok ? info : warn)(
    `[reconcile] ${report.from} – ${report.to}: ${report.checked.generations} generations, ${report.checked.hours} org-hours, ${report.checked.invoices} invoices, ${report.checked.checkpoints} checkpoints; ${discrepancies.length} discrepancies`,
  );
  return report;
}
