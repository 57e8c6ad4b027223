import type { InvoiceLineView } from "@junction/billing";
import { newId } from "@junction/core";
import { type Db, NO_PROVIDER, type Prisma } from "@junction/db";
import { addUtcMonths, periodContaining, startOfUtcMonth } from "./periods.js";

type Tx = Prisma.TransactionClient;

// Finalizations queue on the series row lock; give them room beyond Prisma's 2 s / 5 s defaults.
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 };

/** Invoice numbers: one gap-free series, "JNC-000001", "JNC-000002", … */
export const INVOICE_SERIES = "JNC";

export function formatInvoiceNumber(sequence: number): string {
  return `${INVOICE_SERIES}-${String(sequence).padStart(6, "0")}`;
}

/**
 * Rewrites a draft's lines from the rollups of its period (one line per model and provider) and its total as
 * their sum. The caller holds the invoice row lock, so a concurrent refresh or finalization waits.
 */
async function recomputeLines(tx: Tx, invoiceId: string, organizationId: string, start: Date, end: Date) {
  const lines = await tx.$queryRaw<InvoiceLineView[]>`
    SELECT "modelId", "providerId", SUM("requests")::int AS "requests", SUM("promptTokens")::bigint AS "promptTokens",
      SUM("completionTokens")::bigint AS "completionTokens", SUM("cost")::bigint AS "amount"
    FROM "UsageRollup"
    WHERE "organizationId" = ${organizationId} AND "hour" >= ${start} AND "hour" < ${end}
      AND "providerId" <> ${NO_PROVIDER} -- requests no provider answered cost nothing: no line
    GROUP BY "modelId", "providerId"
    ORDER BY "modelId", "providerId"`;
  await tx.invoiceLine.deleteMany({ where: { invoiceId } });
  if (lines.length) {
    await tx.invoiceLine.createMany({
      data: lines.map((line) => ({ id: newId("invoiceLine"), invoiceId, ...line })),
    });
  }
  const total = lines.reduce((sum, line) => sum + line.amount, 0n);
  await tx.invoice.update({ where: { id: invoiceId }, data: { total } });
  return { lines: lines.length, total };
}

/** The invoice of (organization, month), created as a draft if missing, locked for the rest of the transaction. */
async function lockInvoice(tx: Tx, organizationId: string, start: Date, end: Date) {
  await tx.$executeRaw`
    INSERT INTO "Invoice" ("id", "organizationId", "periodStart", "periodEnd", "status", "total", "createdAt",
      "updatedAt")
    VALUES (${newId("invoice")}, ${organizationId}, ${start}, ${end}, 'draft', 0, now(), now())
    ON CONFLICT ("organizationId", "periodStart") DO NOTHING`;
  const rows = await tx.$queryRaw<{ id: string; status: "draft" | "finalized" | "void" }[]>`
    SELECT "id", "status"::text AS "status" FROM "Invoice"
    WHERE "organizationId" = ${organizationId} AND "periodStart" = ${start} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new Error(`invoice for ${organizationId} ${start.toISOString()} vanished`);
  return row;
}

/** Recomputes the month's draft from the rollups; a finalized invoice is never touched. */
export async function refreshDraftInvoice(
  db: Db,
  organizationId: string,
  month: Date,
): Promise<{ invoiceId: string; status: string; total?: bigint }> {
  const { start, end } = periodContaining("monthly", month);
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, organizationId, start, end);
    if (invoice.status !== "draft") return { invoiceId: invoice.id, status: invoice.status };
    const { total } = await recomputeLines(tx, invoice.id, organizationId, start, end);
    return { invoiceId: invoice.id, status: "draft", total };
  }, TRANSACTION_OPTIONS);
}

/**
 * Finalizes a draft: last recomputation, then the next number of the series, in the same transaction. The series
 * row is incremented under its row lock and commits or rolls back together with the invoice, so numbers are
 * sequential and gap-free however many workers finalize at once. Returns null when it was not a draft.
 */
export async function finalizeInvoice(
  db: Db,
  invoiceId: string,
  now: Date = new Date(),
): Promise<{ number: string; total: bigint } | null> {
  return db.$transaction(async (tx) => {
    const found = await tx.invoice.findUnique({
      where: { id: invoiceId },
      select: { organizationId: true, periodStart: true, periodEnd: true },
    });
    if (!found) return null;
    const invoice = await lockInvoice(tx, found.organizationId, found.periodStart, found.periodEnd);
    if (invoice.status !== "draft") return null;
    const { total } = await recomputeLines(
      tx,
      invoice.id,
      found.organizationId,
      found.periodStart,
      found.periodEnd,
    );
    await tx.$executeRaw`
      INSERT INTO "InvoiceSequence" ("series", "next") VALUES (${INVOICE_SERIES}, 1) ON CONFLICT ("series") DO NOTHING`;
    const taken = await tx.$queryRaw<{ sequence: number }[]>`
      UPDATE "InvoiceSequence" SET "next" = "next" + 1 WHERE "series" = ${INVOICE_SERIES}
      RETURNING "next" - 1 AS "sequence"`;
    const number = formatInvoiceNumber(Number(taken[0]?.sequence));
    await tx.invoice.update({
      where: { id: invoice.id },
      data: { status: "finalized", number, finalizedAt: now },
    });
    return { number, total };
  }, TRANSACTION_OPTIONS);
}

/**
 * The scheduled job: refresh the drafts of the current and previous month for every organization with usage, then
 * finalize every draft whose period ended at least `graceHours` ago (late usage has landed by then).
 */
export async function runInvoices(
  db: Db,
  options: { at?: Date; graceHours: number },
): Promise<{ drafts: number; finalized: { invoiceId: string; number: string; total: string }[] }> {
  const at = options.at ?? new Date();
  const cutoff = new Date(at.getTime() - options.graceHours * 3_600_000);
  let drafts = 0;
  for (const month of [addUtcMonths(startOfUtcMonth(at), -1), startOfUtcMonth(at)]) {
    const end = addUtcMonths(month, 1);
    const organizations = await db.usageRollup.findMany({
      // Requests no provider answered cost nothing: a month with only those gets no invoice.
      where: { hour: { gte: month, lt: end }, providerId: { not: NO_PROVIDER } },
      distinct: ["organizationId"],
      select: { organizationId: true },
    });
    for (const { organizationId } of organizations) {
      const refreshed = await refreshDraftInvoice(db, organizationId, month);
      if (refreshed.status === "draft") drafts++;
    }
  }
  const due = await db.invoice.findMany({
    where: { status: "draft", periodEnd: { lte: cutoff } },
    select: { id: true },
    orderBy: [{ periodStart: "asc" }, { organizationId: "asc" }],
  });
  const finalized: { invoiceId: string; number: string; total: string }[] = [];
  for (const { id } of due) {
    const result = await finalizeInvoice(db, id, at);
    if (result) finalized.push({ invoiceId: id, number: result.number, total: result.total.toString() });
  }
  return { drafts, finalized };
}
