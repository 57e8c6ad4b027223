import { nanoToUsdString } from "@junction/core";
import { z } from "zod";

/**
 * A spend report's stored body (SpendReport.data): totals by model, provider, key and UTC day, built from the
 * hourly usage rollups. Costs appear twice — `costUsd` as an exact decimal string and `costNano` as the integer
 * nano-USD string — so nothing downstream ever parses money from a float.
 */
export type RollupRow = {
  apiKeyId: string;
  modelId: string;
  providerId: string;
  hour: Date;
  requests: number;
  errors: number;
  promptTokens: bigint;
  completionTokens: bigint;
  cachedTokens: bigint;
  cacheWriteTokens: bigint;
  cost: bigint;
};

const totalsShape = {
  requests: z.number().int(),
  errors: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  cachedTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  costUsd: z.string(),
  costNano: z.string().regex(/^-?\d+$/),
};

export const spendReportDataSchema = z.object({
  version: z.literal(1),
  organizationId: z.string(),
  period: z.enum(["daily", "monthly"]),
  periodStart: z.string(),
  periodEnd: z.string(),
  generatedAt: z.string(),
  /** True while the period has not ended: the report is regenerated until it has. */
  partial: z.boolean(),
  currency: z.literal("USD"),
  total: z.object(totalsShape),
  byModel: z.array(z.object({ modelId: z.string(), ...totalsShape })),
  byProvider: z.array(z.object({ providerId: z.string(), ...totalsShape })),
  byKey: z.array(
    z.object({ apiKeyId: z.string().nullable(), keyName: z.string().nullable(), ...totalsShape }),
  ),
  byDay: z.array(z.object({ day: z.string(), ...totalsShape })),
});

export type SpendReportData = z.infer<typeof spendReportDataSchema>;
export type UsageTotals = SpendReportData["total"];

/** The additive part of a rollup row. */
type Accumulator = Omit<RollupRow, "apiKeyId" | "modelId" | "providerId" | "hour">;

const empty = (): Accumulator => ({
  requests: 0,
  errors: 0,
  promptTokens: 0n,
  completionTokens: 0n,
  cachedTokens: 0n,
  cacheWriteTokens: 0n,
  cost: 0n,
});

function add(into: Accumulator, row: RollupRow): void {
  into.requests += row.requests;
  into.errors += row.errors;
  into.promptTokens += row.promptTokens;
  into.completionTokens += row.completionTokens;
  into.cachedTokens += row.cachedTokens;
  into.cacheWriteTokens += row.cacheWriteTokens;
  into.cost += row.cost;
}

function totals(acc: Accumulator): UsageTotals {
  return {
    requests: acc.requests,
    errors: acc.errors,
    promptTokens: Number(acc.promptTokens),
    completionTokens: Number(acc.completionTokens),
    cachedTokens: Number(acc.cachedTokens),
    cacheWriteTokens: Number(acc.cacheWriteTokens),
    costUsd: nanoToUsdString(acc.cost),
    costNano: acc.cost.toString(),
  };
}

/** Groups rows by `keyOf`, then orders by cost (highest first) and key, so reports read the same every time. */
function groupBy(rows: RollupRow[], keyOf: (row: RollupRow) => string): [string, Accumulator][] {
  const groups = new Map<string, Accumulator>();
  for (const row of rows) {
    const key = keyOf(row);
    let acc = groups.get(key);
    if (!acc) {
      acc = empty();
      groups.set(key, acc);
    }
    add(acc, row);
  }
  return [...groups.entries()].sort(([a, x], [b, y]) =>
    x.cost === y.cost ? (a < b ? -1 : a > b ? 1 : 0) : x.cost > y.cost ? -1 : 1,
  );
}

export function buildSpendReportData(input: {
  organizationId: string;
  period: "daily" | "monthly";
  periodStart: Date;
  periodEnd: Date;
  generatedAt: Date;
  rows: RollupRow[];
  keyNames?: ReadonlyMap<string, string>;
}): SpendReportData {
  const total = empty();
  for (const row of input.rows) add(total, row);
  const byDay = groupBy(input.rows, (row) => row.hour.toISOString().slice(0, 10)).sort(([a], [b]) =>
    a < b ? -1 : 1,
  );
  return {
    version: 1,
    organizationId: input.organizationId,
    period: input.period,
    periodStart: input.periodStart.toISOString(),
    periodEnd: input.periodEnd.toISOString(),
    generatedAt: input.generatedAt.toISOString(),
    partial: input.generatedAt < input.periodEnd,
    currency: "USD",
    total: totals(total),
    byModel: groupBy(input.rows, (row) => row.modelId).map(([modelId, acc]) => ({ modelId, ...totals(acc) })),
    byProvider: groupBy(input.rows, (row) => row.providerId).map(([providerId, acc]) => ({
      providerId,
      ...totals(acc),
    })),
    byKey: groupBy(input.rows, (row) => row.apiKeyId).map(([apiKeyId, acc]) => ({
      apiKeyId: apiKeyId || null,
      keyName: apiKeyId ? (input.keyNames?.get(apiKeyId) ?? null) : null,
      ...totals(acc),
    })),
    byDay: byDay.map(([day, acc]) => ({ day, ...totals(acc) })),
  };
}

/** The report as pretty JSON, exactly as stored (costs as strings). */
export function renderSpendReportJson(data: SpendReportData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

const CSV_HEADER = [
  "dimension",
  "key",
  "label",
  "requests",
  "errors",
  "prompt_tokens",
  "completion_tokens",
  "cached_tokens",
  "cache_write_tokens",
  "cost_usd",
  "cost_nano_usd",
];

/**
 * Quotes a CSV field (RFC 4180) and defuses spreadsheet formulas: model ids and key names come from users, and a
 * cell starting with = + - @ would run as a formula in Excel or Sheets.
 */
function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV for the whole report: a `dimension` column (total, model, provider, key, day) and one row per group. */
export function renderSpendReportCsv(data: SpendReportData): string {
  const line = (dimension: string, key: string, label: string, t: UsageTotals) =>
    [
      dimension,
      key,
      label,
      t.requests,
      t.errors,
      t.promptTokens,
      t.completionTokens,
      t.cachedTokens,
      t.cacheWriteTokens,
      t.costUsd,
      t.costNano,
    ]
      .map(csvField)
      .join(",");
  const lines = [
    CSV_HEADER.join(","),
    line("total", "", `${data.period} ${data.periodStart.slice(0, 10)}`, data.total),
    ...data.byModel.map((row) => line("model", row.modelId, row.modelId, row)),
    ...data.byProvider.map((row) => line("provider", row.providerId, row.providerId, row)),
    ...data.byKey.map((row) => line("key", row.apiKeyId ?? "", row.keyName ?? "(no key)", row)),
    ...data.byDay.map((row) => line("day", row.day, row.day, row)),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

/** A download file name such as `junction-spend-monthly-2026-11.csv`. */
export function spendReportFileName(data: SpendReportData, format: "csv" | "json"): string {
  const start = data.period === "monthly" ? data.periodStart.slice(0, 7) : data.periodStart.slice(0, 10);
  return `junction-spend-${data.period}-${start}.${format}`;
}
