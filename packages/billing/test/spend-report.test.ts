import {
  buildSpendReportData,
  type RollupRow,
  renderSpendReportCsv,
  renderSpendReportJson,
  spendReportDataSchema,
  spendReportFileName,
} from "@junction/billing";
import { describe, expect, it } from "vitest";

const row = (overrides: Partial<RollupRow>): RollupRow => ({
  apiKeyId: "key_a",
  modelId: "openai/gpt-4o-mini",
  providerId: "openai",
  hour: new Date("2026-11-03T10:00:00Z"),
  requests: 1,
  errors: 0,
  promptTokens: 10n,
  completionTokens: 5n,
  cachedTokens: 0n,
  cacheWriteTokens: 0n,
  cost: 1n,
  ...overrides,
});

describe("spend report rendering", () => {
  const data = buildSpendReportData({
    organizationId: "org_x",
    period: "monthly",
    periodStart: new Date("2026-11-01T00:00:00Z"),
    periodEnd: new Date("2026-12-01T00:00:00Z"),
    generatedAt: new Date("2026-12-01T01:00:00Z"),
    keyNames: new Map([["key_a", 'Prod, "main"']]),
    rows: [
      row({ cost: 999_999_999n, requests: 3 }),
      row({ modelId: '=HYPERLINK("http://evil")', providerId: "groq", apiKeyId: "", cost: 1n, errors: 1 }),
      row({ hour: new Date("2026-11-04T23:00:00Z"), cost: 2n }),
    ],
  });

  it("sums exactly in nano-USD and writes costs as decimal and nano strings", () => {
    expect(data.total).toMatchObject({
      requests: 5,
      errors: 1,
      costUsd: "1.000000002",
      costNano: "1000000002",
    });
    expect(data.byModel[0]).toMatchObject({ modelId: "openai/gpt-4o-mini", costNano: "1000000001" });
    expect(data.byDay.map((day) => day.day)).toEqual(["2026-11-03", "2026-11-04"]);
    expect(data.partial).toBe(false);
    expect(spendReportDataSchema.parse(JSON.parse(renderSpendReportJson(data)))).toEqual(data);
    expect(spendReportFileName(data, "csv")).toBe("junction-spend-monthly-2026-11.csv");
  });

  it("writes RFC 4180 CSV and defuses spreadsheet formulas in user-supplied names", () => {
    const lines = renderSpendReportCsv(data).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "dimension,key,label,requests,errors,prompt_tokens,completion_tokens,cached_tokens,cache_write_tokens,cost_usd,cost_nano_usd",
    );
    expect(lines).toContain(
      `model,"'=HYPERLINK(""http://evil"")","'=HYPERLINK(""http://evil"")",1,1,10,5,0,0,0.000000001,1`,
    );
    expect(lines).toContain(`key,key_a,"Prod, ""main""",4,0,20,10,0,0,1.000000001,1000000001`);
    expect(lines).toContain("key,,(no key),1,1,10,5,0,0,0.000000001,1");
    expect(lines).toHaveLength(1 + 1 + 2 + 2 + 2 + 2);
  });
});
