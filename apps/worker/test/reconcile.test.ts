import { newId } from "@junction/core";
import {
  createTestDatabase,
  createTestGenerations,
  createTestTenant,
  type TestDatabase,
} from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestGenerations } from "../src/ingest-usage.js";
import { runInvoices } from "../src/invoices.js";
import { writeLedgerCheckpoints } from "../src/ledger-checkpoints.js";
import { type ReconcileReport, reconcile } from "../src/reconcile.js";

let database: TestDatabase;
let organizationId: string;
let ids: string[];
const window = { from: new Date("2026-09-01T00:00:00Z"), to: new Date("2026-11-10T00:00:00Z") };
const quiet = { log: () => undefined };

beforeAll(async () => {
  database = await createTestDatabase();
  const tenant = await createTestTenant(database.db, { creditNano: 10n ** 12n });
  organizationId = tenant.organizationId;
  ids = await createTestGenerations(
    database.db,
    Array.from({ length: 40 }, (_, index) => ({
      organizationId,
      apiKeyId: tenant.keyId,
      cost: BigInt(1_000 + index),
      createdAt: new Date(Date.UTC(2026, 9, 1 + (index % 28), index % 24, 7)),
    })),
  );
  await ingestGenerations(database.db, ids);
  await runInvoices(database.db, { at: new Date("2026-11-05T00:00:00Z"), graceHours: 72 });
});
afterAll(() => database.drop());

const checks = (report: ReconcileReport) => report.discrepancies.map((found) => found.check).sort();

describe("reconciliation", () => {
  it("finds nothing when generations, ledger, rollups and the finalized invoice agree", async () => {
    const report = await reconcile(database.db, { ...window, ...quiet });
    expect(report.ok).toBe(true);
    expect(report.checked).toMatchObject({ generations: 40, invoices: 1 });
    expect(report.checked.hours).toBeGreaterThan(20);
  });

  it("a request refused before routing is a failed request of $0: one zero debit, one error in the rollups", async () => {
    // As the gateway records a refusal (unknown model): no endpoint, no cost, not yet ingested.
    const refused = newId("generation");
    const createdAt = new Date("2026-11-02T10:30:00Z");
    await database.db.generation.create({
      data: {
        id: refused,
        organizationId,
        requestedModel: "nope/none",
        apiFormat: "openai",
        route: "chat",
        status: "error",
        errorCode: "not_found",
        httpStatus: 404,
        createdAt,
        completedAt: createdAt,
      },
    });
    expect((await ingestGenerations(database.db, [refused])).get(refused)).toBe("ingested");
    const rollup = await database.db.usageRollup.findFirstOrThrow({
      where: { organizationId, hour: new Date("2026-11-02T10:00:00Z") },
    });
    expect(rollup).toMatchObject({ modelId: "nope/none", requests: 1, errors: 1, cost: 0n });
    const debits = await database.db.creditLedgerEntry.findMany({ where: { generationId: refused } });
    expect(debits.map((debit) => debit.amount)).toEqual([0n]);
    // No invoice line for it, and no invoice for a month that had nothing else.
    const november = await runInvoices(database.db, { at: new Date("2026-12-05T00:00:00Z"), graceHours: 72 });
    expect(november).toMatchObject({ drafts: 0, finalized: [] });
    const report = await reconcile(database.db, { ...window, ...quiet });
    expect(report.discrepancies).toEqual([]);
    expect(report.checked.generations).toBe(41);
  });

  it("catches a debit that differs from its generation's cost", async () => {
    const target = ids[3] ?? "";
    await database.db.creditLedgerEntry.updateMany({
      where: { generationId: target },
      data: { amount: { decrement: 1n } },
    });
    const report = await reconcile(database.db, { ...window, ...quiet });
    expect(report.discrepancies).toEqual([
      expect.objectContaining({ check: "generation_debit", subject: target, expected: "1 debit of -1003" }),
    ]);
    await database.db.creditLedgerEntry.updateMany({
      where: { generationId: target },
      data: { amount: { increment: 1n } },
    });
  });

  it("catches a missing debit, a rollup off by a few nano-USD, and a tampered finalized invoice", async () => {
    const target = ids[5] ?? "";
    const [entry] = await database.db.creditLedgerEntry.findMany({ where: { generationId: target } });
    await database.db.creditLedgerEntry.delete({ where: { id: entry?.id ?? "" } });
    const rollup = await database.db.usageRollup.findFirstOrThrow({
      where: { organizationId, hour: { lt: new Date("2026-11-01T00:00:00Z") } }, // in the invoiced October
    });
    await database.db.usageRollup.update({ where: { id: rollup.id }, data: { cost: { increment: 5n } } });
    const report = await reconcile(database.db, { ...window, ...quiet });
    // The rollup change also breaks invoice == rollups for October.
    expect(checks(report)).toEqual(["generation_debit", "invoice", "rollup_hour"]);
    const hour = report.discrepancies.find((found) => found.check === "rollup_hour");
    expect(hour?.subject).toBe(rollup.hour.toISOString());
    const invoice = report.discrepancies.find((found) => found.check === "invoice");
    expect(invoice?.subject).toBe("JNC-000001");
    expect(report.ok).toBe(false);

    // And a finalized invoice whose line no longer adds up to its total.
    const line = await database.db.invoiceLine.findFirstOrThrow({
      where: { invoice: { number: "JNC-000001" } },
    });
    await database.db.invoiceLine.update({ where: { id: line.id }, data: { amount: { decrement: 2n } } });
    const tampered = await reconcile(database.db, { ...window, ...quiet });
    const total = (await database.db.invoice.findFirstOrThrow({ where: { number: "JNC-000001" } })).total;
    expect(tampered.discrepancies.find((found) => found.check === "invoice")).toMatchObject({
      expected: `total ${total}`,
      actual: `lines ${total - 2n}, rollups ${total + 5n}`,
    });
  });

  it("catches a usage debit whose generation was never marked ingested, and a wrong checkpoint", async () => {
    const fresh = await reconcile(database.db, { ...window, ...quiet }); // baseline of the previous plants
    const target = ids[7] ?? "";
    await database.db.generation.update({ where: { id: target }, data: { ingestedAt: null } });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await writeLedgerCheckpoints(database.db, { marginMs: 0, minEntries: 1 });
    await database.db.ledgerCheckpoint.updateMany({
      where: { organizationId },
      data: { balance: { increment: 1n } },
    });
    const report = await reconcile(database.db, { ...window, ...quiet });
    const added = report.discrepancies.filter(
      (found) =>
        !fresh.discrepancies.some((old) => old.check === found.check && old.subject === found.subject),
    );
    expect(added.map((found) => found.check).sort()).toEqual(["checkpoint", "orphan_debit", "rollup_hour"]);
    // Repaired: the wrong checkpoint is gone.
    expect(await database.db.ledgerCheckpoint.count({ where: { organizationId } })).toBe(0);
  });
});
