import { renderInvoiceHtml } from "@junction/billing";
import { createOrganization } from "@junction/db";
import { createTestDatabase, createTestGeneration, type TestDatabase } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestGenerations } from "../src/ingest-usage.js";
import { refreshDraftInvoice, runInvoices } from "../src/invoices.js";

let database: TestDatabase;
let organizationId: string;
const OCTOBER = new Date("2026-10-01T00:00:00Z");

async function usage(
  cost: bigint,
  at: string,
  model = "openai/gpt-4o-mini",
  providerId = "openai",
  tokens = [1, 1],
) {
  const id = await createTestGeneration(database.db, {
    organizationId,
    model,
    providerId,
    cost,
    promptTokens: tokens[0] ?? 0,
    completionTokens: tokens[1] ?? 0,
    createdAt: new Date(at),
  });
  await ingestGenerations(database.db, [id]);
}

beforeAll(async () => {
  database = await createTestDatabase();
  organizationId = (await createOrganization(database.db, { name: `Acme <script>alert("x")</script> & Co` }))
    .id;
  await usage(1_500_000n, "2026-10-02T09:00:00Z", "openai/gpt-4o-mini", "openai", [100, 50]);
  await usage(2_500_001n, "2026-10-17T13:30:00Z", "openai/gpt-4o-mini", "openai", [200, 75]);
  await usage(10n, "2026-10-05T00:00:00Z", "openai/gpt-4o-mini", "azure", [1, 1]);
  await usage(12_000_000_000n, "2026-10-31T23:00:00Z", "anthropic/claude-sonnet-4", "anthropic", [1000, 500]);
  await usage(7n, "2026-11-01T00:00:00Z"); // November: not on October's invoice
});
afterAll(() => database.drop());

describe("monthly invoices", () => {
  it("drafts one line per model and provider from the rollups, total = sum of lines (hand-computed)", async () => {
    const draft = await refreshDraftInvoice(database.db, organizationId, OCTOBER);
    expect(draft.status).toBe("draft");
    const invoice = await database.db.invoice.findUniqueOrThrow({
      where: { id: draft.invoiceId },
      include: { lines: { orderBy: [{ modelId: "asc" }, { providerId: "asc" }] } },
    });
    expect(invoice.number).toBeNull();
    expect(invoice.periodEnd.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(
      invoice.lines.map((line) => [
        line.modelId,
        line.providerId,
        line.requests,
        line.promptTokens,
        line.completionTokens,
        line.amount,
      ]),
    ).toEqual([
      ["anthropic/claude-sonnet-4", "anthropic", 1, 1000n, 500n, 12_000_000_000n],
      ["openai/gpt-4o-mini", "azure", 1, 1n, 1n, 10n],
      ["openai/gpt-4o-mini", "openai", 2, 300n, 125n, 4_000_001n],
    ]);
    expect(invoice.total).toBe(12_004_000_011n);
  });

  it("waits out the grace period, recomputing the draft with late usage, then finalizes with the next number", async () => {
    const periodEnd = new Date("2026-11-01T00:00:00Z").getTime();
    const early = await runInvoices(database.db, {
      at: new Date(periodEnd + 71 * 3_600_000),
      graceHours: 72,
    });
    expect(early.finalized).toEqual([]);

    // Usage from October's last minute arrives late (a worker was down): it still lands on October's invoice.
    await usage(5n, "2026-10-31T23:59:00Z");
    const due = await runInvoices(database.db, { at: new Date(periodEnd + 72 * 3_600_000), graceHours: 72 });
    expect(due.finalized).toHaveLength(1);
    expect(due.finalized[0]).toMatchObject({ number: "JNC-000001", total: "12004000016" });

    const invoice = await database.db.invoice.findFirstOrThrow({
      where: { organizationId, periodStart: OCTOBER },
    });
    expect(invoice).toMatchObject({ status: "finalized", number: "JNC-000001", total: 12_004_000_016n });
    expect(invoice.finalizedAt?.toISOString()).toBe(new Date(periodEnd + 72 * 3_600_000).toISOString());

    // After finalization, nothing changes it: even later usage stays off a finalized invoice (reconciliation flags it).
    await usage(100n, "2026-10-30T00:00:00Z");
    await runInvoices(database.db, { at: new Date(periodEnd + 80 * 3_600_000), graceHours: 72 });
    const after = await database.db.invoice.findUniqueOrThrow({
      where: { id: invoice.id },
      include: { lines: true },
    });
    expect(after.total).toBe(12_004_000_016n);
    expect(after.lines.reduce((sum, line) => sum + line.amount, 0n)).toBe(after.total);
    // November got its own draft and is not due yet.
    const november = await database.db.invoice.findFirstOrThrow({
      where: { organizationId, periodStart: new Date("2026-11-01T00:00:00Z") },
    });
    expect(november).toMatchObject({ status: "draft", total: 7n, number: null });
  });

  it("renders a printable HTML view with amounts from bigint and every user string escaped", async () => {
    const invoice = await database.db.invoice.findFirstOrThrow({
      where: { organizationId, periodStart: OCTOBER },
      include: { lines: { orderBy: { amount: "desc" } }, organization: { select: { id: true, name: true } } },
    });
    const html = renderInvoiceHtml(invoice);
    expect(html).toContain("Invoice JNC-000001");
    expect(html).toContain("$12.004000016");
    expect(html).toContain("$12.00");
    expect(html).toContain("October 1, 2026 – October 31, 2026");
    expect(html).toContain("@media print");
    expect(html).not.toContain("<script>");
    expect(html).toContain("Acme &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co");
    expect(html).toMatch(/openai\/gpt-4o-mini[\s\S]*via azure/);
  });
});
