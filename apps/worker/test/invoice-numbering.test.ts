import { createOrganization } from "@junction/db";
import { createTestDatabase, createTestGeneration, type TestDatabase } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestGenerations } from "../src/ingest-usage.js";
import { finalizeInvoice, formatInvoiceNumber, refreshDraftInvoice } from "../src/invoices.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe("invoice numbering", () => {
  it("assigns sequential, gap-free numbers under concurrent finalization, each invoice exactly once", async () => {
    const month = new Date("2025-03-01T00:00:00Z");
    const invoiceIds: string[] = [];
    for (let index = 0; index < 15; index++) {
      const organizationId = (await createOrganization(database.db, { name: `Org ${index}` })).id;
      const id = await createTestGeneration(database.db, {
        organizationId,
        cost: BigInt(index + 1) * 1_000n,
        createdAt: new Date(`2025-03-${String(index + 1).padStart(2, "0")}T12:00:00Z`),
      });
      await ingestGenerations(database.db, [id]);
      invoiceIds.push((await refreshDraftInvoice(database.db, organizationId, month)).invoiceId);
    }
    // Every invoice finalized twice at once, and a refresh racing with them: each gets exactly one number.
    const results = await Promise.all([
      ...invoiceIds.flatMap((id) => [finalizeInvoice(database.db, id), finalizeInvoice(database.db, id)]),
      ...invoiceIds.slice(0, 5).map(async (id) => {
        const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id } });
        await refreshDraftInvoice(database.db, invoice.organizationId, month);
        return null;
      }),
    ]);
    const numbers = results.flatMap((result) => (result ? [result.number] : []));
    expect(numbers).toHaveLength(15);
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 15 }, (_, index) => formatInvoiceNumber(index + 1)),
    );
    const stored = await database.db.invoice.findMany({ where: { id: { in: invoiceIds } } });
    expect(stored.every((invoice) => invoice.status === "finalized" && invoice.number !== null)).toBe(true);
    expect(new Set(stored.map((invoice) => invoice.number)).size).toBe(15);
    const sequence = await database.db.invoiceSequence.findUniqueOrThrow({ where: { series: "JNC" } });
    expect(sequence.next).toBe(16);
    // A finalized invoice keeps its total: sum of its lines, the org's usage in the month.
    for (const invoice of stored) {
      const lines = await database.db.invoiceLine.findMany({ where: { invoiceId: invoice.id } });
      expect(lines.reduce((sum, line) => sum + line.amount, 0n)).toBe(invoice.total);
    }
  });

  it("a call that finalizes nothing takes no number", async () => {
    const before = await database.db.invoiceSequence.findUniqueOrThrow({ where: { series: "JNC" } });
    // A missing invoice and an already-finalized one take no number.
    expect(await finalizeInvoice(database.db, "inv_missing")).toBeNull();
    const finalized = await database.db.invoice.findFirstOrThrow({ where: { status: "finalized" } });
    expect(await finalizeInvoice(database.db, finalized.id)).toBeNull();
    const after = await database.db.invoiceSequence.findUniqueOrThrow({ where: { series: "JNC" } });
    expect(after.next).toBe(before.next);
  });
});
