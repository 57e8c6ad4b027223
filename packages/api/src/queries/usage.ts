import type { Db } from "@junction/db";
import { addUtcDays, startOfUtcDay, utcDayKey } from "./periods";

export type SpendTotals = { cost: bigint; requests: number; errors: number };

/** Cost and request counts since `from` (hour buckets), from the worker's rollups. */
export async function spendSince(db: Db, organizationId: string, from: Date): Promise<SpendTotals> {
  const rows = await db.$queryRaw<{ cost: bigint; requests: bigint; errors: bigint }[]>`
    SELECT COALESCE(SUM("cost"), 0)::bigint AS cost, COALESCE(SUM("requests"), 0)::bigint AS requests,
      COALESCE(SUM("errors"), 0)::bigint AS errors
    FROM "UsageRollup" WHERE "organizationId" = ${organizationId} AND "hour" >= ${from}`;
  const row = rows[0];
  return { cost: row?.cost ?? 0n, requests: Number(row?.requests ?? 0n), errors: Number(row?.errors ?? 0n) };
}

export type ModelUsage = {
  model: string;
  cost: bigint;
  requests: number;
  promptTokens: bigint;
  completionTokens: bigint;
};
export type DailyCost = { day: string; total: bigint; requests: number; byModel: Record<string, bigint> };

/** The N most expensive models get their own series; the rest is summed as "Other". */
export const OTHER_MODELS = "Other";

/**
 * Cost per UTC day and model over the last `days` days (today included), every day present even when empty, so
 * the chart's x-axis is continuous.
 */
export async function costByDay(
  db: Db,
  organizationId: string,
  days: number,
  now: Date,
  maxSeries = 5,
): Promise<{ series: string[]; daily: DailyCost[]; models: ModelUsage[] }> {
  const from = addUtcDays(startOfUtcDay(now), -(days - 1));
  const rows = await db.$queryRaw<
    {
      day: Date;
      modelId: string;
      cost: bigint;
      requests: bigint;
      promptTokens: bigint;
      completionTokens: bigint;
    }[]
  >`
    SELECT date_trunc('day', "hour") AS day, "modelId", SUM("cost")::bigint AS cost, SUM("requests")::bigint AS requests,
      SUM("promptTokens")::bigint AS "promptTokens", SUM("completionTokens")::bigint AS "completionTokens"
    FROM "UsageRollup" WHERE "organizationId" = ${organizationId} AND "hour" >= ${from}
    GROUP BY 1, 2`;

  const perModel = new Map<string, ModelUsage>();
  for (const row of rows) {
    const entry = perModel.get(row.modelId) ?? {
      model: row.modelId,
      cost: 0n,
      requests: 0,
      promptTokens: 0n,
      completionTokens: 0n,
    };
    entry.cost += row.cost;
    entry.requests += Number(row.requests);
    entry.promptTokens += row.promptTokens;
    entry.completionTokens += row.completionTokens;
    perModel.set(row.modelId, entry);
  }
  const models = [...perModel.values()].sort((a, b) =>
    b.cost === a.cost ? b.requests - a.requests : b.cost > a.cost ? 1 : -1,
  );
  const named = new Set(
    models.slice(0, models.length > maxSeries ? maxSeries - 1 : maxSeries).map((m) => m.model),
  );
  const series = [...named, ...(models.length > named.size ? [OTHER_MODELS] : [])];

  const daily = new Map<string, DailyCost>();
  for (let offset = 0; offset < days; offset++) {
    const day = utcDayKey(addUtcDays(from, offset));
    daily.set(day, {
      day,
      total: 0n,
      requests: 0,
      byModel: Object.fromEntries(series.map((name) => [name, 0n])),
    });
  }
  for (const row of rows) {
    const entry = daily.get(utcDayKey(row.day));
    if (!entry) continue;
    const name = named.has(row.modelId) ? row.modelId : OTHER_MODELS;
    entry.byModel[name] = (entry.byModel[name] ?? 0n) + row.cost;
    entry.total += row.cost;
    entry.requests += Number(row.requests);
  }
  return { series, daily: [...daily.values()], models };
}
