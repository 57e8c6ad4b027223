import { renderSpendReportCsv, spendReportDataSchema } from "@junction/billing";
import {
  createTestDatabase,
  createTestGeneration,
  createTestKey,
  createTestTenant,
  type TestDatabase,
} from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestGenerations } from "../src/ingest-usage.js";
import { generateSpendReports, writeSpendReport } from "../src/spend-reports.js";

let database: TestDatabase;
let organizationId: string;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const tenant = await createTestTenant(database.db);
  organizationId = tenant.organizationId;
  keyA = tenant.keyId;
  keyB = (await createTestKey(database.db, organizationId)).keyId;
  await database.db.apiKey.update({ where: { id: keyA }, data: { name: "Production" } });
  await database.db.apiKey.update({ where: { id: keyB }, data: { name: "Batch jobs" } });
  const mini = { model: "openai/gpt-4o-mini", providerId: "openai" };
  const claude = { model: "anthropic/claude-sonnet-4", providerId: "anthropic" };
  const rows = [
    {
      ...mini,
      apiKeyId: keyA,
      cost: 1_500_000n,
      promptTokens: 100,
      completionTokens: 50,
      at: "2026-10-14T10:05:00Z",
    },
    {
      ...mini,
      apiKeyId: keyA,
      cost: 2_500_001n,
      promptTokens: 200,
      completionTokens: 75,
      at: "2026-10-14T10:40:00Z",
    },
    {
      ...claude,
      apiKeyId: keyB,
      cost: 12_000_000_000n,
      promptTokens: 1000,
      completionTokens: 500,
      at: "2026-10-14T23:59:59Z",
    },
    {
      ...claude,
      apiKeyId: keyB,
      cost: 0n,
      promptTokens: 5,
      completionTokens: 0,
      at: "2026-10-15T00:00:00Z",
      status: "error" as const,
    },
    {
      model: "meta-llama/llama-3.3-70b-instruct",
      providerId: "groq",
      apiKeyId: null,
      cost: 333n,
      promptTokens: 40,
      completionTokens: 20,
      at: "2026-10-31T23:30:00Z",
    },
    { ...mini, apiKeyId: keyA, cost: 7n, promptTokens: 1, completionTokens: 1, at: "2026-11-01T00:10:00Z" },
  ];
  const ids: string[] = [];
  for (const row of rows) {
    ids.push(
      await createTestGeneration(database.db, { organizationId, ...row, createdAt: new Date(row.at) }),
    );
  }
  await ingestGenerations(database.db, ids);
});
afterAll(() => database.drop());

describe("spend reports", () => {
  it("builds a daily report from the rollups: totals, by model, provider, key and day (hand-computed)", async () => {
    const report = await writeSpendReport(
      database.db,
      organizationId,
      "daily",
      new Date("2026-10-14T12:00:00Z"),
    );
    expect(report.periodStart.toISOString()).toBe("2026-10-14T00:00:00.000Z");
    expect(report.periodEnd.toISOString()).toBe("2026-10-15T00:00:00.000Z");
    // 1_500_000 + 2_500_001 + 12_000_000_000
    expect(report.totalCost).toBe(12_004_000_001n);
    expect(report.data.total).toMatchObject({
      requests: 3,
      errors: 0,
      costUsd: "12.004000001",
      costNano: "12004000001",
    });
    expect(report.data.byModel.map((row) => [row.modelId, row.costNano, row.requests])).toEqual([
      ["anthropic/claude-sonnet-4", "12000000000", 1],
      ["openai/gpt-4o-mini", "4000001", 2],
    ]);
    expect(report.data.byKey.map((row) => [row.keyName, row.costUsd])).toEqual([
      ["Batch jobs", "12"],
      ["Production", "0.004000001"],
    ]);
    expect(report.data.byDay).toHaveLength(1);
    expect(report.data.partial).toBe(false);
  });

  it("builds the monthly report, including errors, keyless usage and the last hour of the month only", async () => {
    const report = await writeSpendReport(
      database.db,
      organizationId,
      "monthly",
      new Date("2026-10-20T00:00:00Z"),
    );
    // October only: the 2026-11-01 generation (cost 7) is in November's report.
    expect(report.totalCost).toBe(12_004_000_334n);
    expect(report.requests).toBe(5);
    expect(report.data.total).toMatchObject({ errors: 1, promptTokens: 1345, completionTokens: 645 });
    expect(report.data.byProvider.map((row) => [row.providerId, row.costNano])).toEqual([
      ["anthropic", "12000000000"],
      ["openai", "4000001"],
      ["groq", "333"],
    ]);
    expect(report.data.byKey.map((row) => [row.apiKeyId, row.requests, row.costNano])).toEqual([
      [keyB, 2, "12000000000"],
      [keyA, 2, "4000001"],
      [null, 1, "333"],
    ]);
    expect(report.data.byDay.map((row) => [row.day, row.requests, row.errors, row.costNano])).toEqual([
      ["2026-10-14", 3, 0, "12004000001"],
      ["2026-10-15", 1, 1, "0"],
      ["2026-10-31", 1, 0, "333"],
    ]);
    // What is stored round-trips through the schema the download routes parse with.
    const stored = await database.db.spendReport.findUniqueOrThrow({ where: { id: report.id } });
    expect(spendReportDataSchema.parse(stored.data)).toEqual(report.data);
    const csv = renderSpendReportCsv(report.data).split("\r\n");
    expect(csv[1]).toBe("total,,monthly 2026-10-01,5,1,1345,645,0,0,12.004000334,12004000334");
    expect(csv).toContain("day,2026-10-31,2026-10-31,1,0,40,20,0,0,0.000000333,333");
  });

  it("is idempotent per (organization, period, start) and picks up late usage when regenerated", async () => {
    const first = await writeSpendReport(
      database.db,
      organizationId,
      "monthly",
      new Date("2026-10-01T00:00:00Z"),
    );
    const late = await createTestGeneration(database.db, {
      organizationId,
      apiKeyId: keyA,
      cost: 1_000_000_000n,
      createdAt: new Date("2026-10-20T08:00:00Z"),
    });
    await ingestGenerations(database.db, [late]);
    const second = await writeSpendReport(
      database.db,
      organizationId,
      "monthly",
      new Date("2026-10-31T00:00:00Z"),
    );
    expect(second.id).toBe(first.id);
    expect(second.totalCost).toBe(first.totalCost + 1_000_000_000n);
    const rows = await database.db.spendReport.count({ where: { organizationId, period: "monthly" } });
    expect(rows).toBe(1);
  });

  it("the scheduled job (re)builds every day and month overlapping its look-back, only where there was usage", async () => {
    const result = await generateSpendReports(database.db, {
      at: new Date("2026-10-15T12:00:00Z"),
      lookbackHours: 48,
    });
    // Days 13 (no usage), 14 and 15, and October.
    expect(result.reports).toBe(3);
    const fifteenth = await database.db.spendReport.findFirstOrThrow({
      where: { organizationId, period: "daily", periodStart: new Date("2026-10-15T00:00:00Z") },
    });
    expect(fifteenth.requests).toBe(1);
    const october = await database.db.spendReport.findFirstOrThrow({
      where: { organizationId, period: "monthly", periodStart: new Date("2026-10-01T00:00:00Z") },
    });
    // Generated "as of" Oct 15: the month is not over, so the report says it is partial.
    expect(spendReportDataSchema.parse(october.data).partial).toBe(true);
  });
});
