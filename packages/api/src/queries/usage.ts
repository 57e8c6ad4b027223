import { type Db, NO_PROVIDER, Prisma } from "@junction/db";

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

/** The N most expensive groups get their own series; the rest is summed as "Other". */
export const OTHER_SERIES = "Other";

export type SpendGroupBy = "model" | "key" | "provider";
export type SpendWindow = { from: Date; to: Date; bucket: "hour" | "day" };
export type SpendGroup = {
  /** Model id, API key id ("" for requests without a key) or provider id. */
  id: string;
  label: string;
  cost: bigint;
  requests: number;
  promptTokens: bigint;
  completionTokens: bigint;
};
export type SpendBucket = { start: Date; total: bigint; requests: number; bySeries: Record<string, bigint> };
export type SpendSeries = { id: string; label: string };

const GROUP_COLUMN: Record<SpendGroupBy, Prisma.Sql> = {
  model: Prisma.sql`"modelId"`,
  key: Prisma.sql`"apiKeyId"`,
  provider: Prisma.sql`"providerId"`,
};
const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;

async function groupLabels(
  db: Db,
  organizationId: string,
  groupBy: SpendGroupBy,
  ids: string[],
): Promise<Map<string, string>> {
  // Refused and failed requests count too: one without a model in its body, or that no provider answered.
  if (groupBy === "model") return new Map(ids.map((id) => [id, id === "" ? "No model" : id]));
  if (groupBy === "provider") return new Map(ids.map((id) => [id, id === NO_PROVIDER ? "No provider" : id]));
  const keys = await db.apiKey.findMany({
    where: { organizationId, id: { in: ids.filter(Boolean) } },
    select: { id: true, name: true },
  });
  const labels = new Map(keys.map((key) => [key.id, key.name]));
  return new Map(ids.map((id) => [id, id === "" ? "No key" : (labels.get(id) ?? id)]));
}

/**
 * Cost per hour or UTC day in [from, to), grouped by model, API key or provider, from the worker's rollups. Every
 * bucket is present even when empty, so the chart's x-axis is continuous; the biggest groups get their own series.
 */
export async function spendSeries(
  db: Db,
  organizationId: string,
  window: SpendWindow,
  groupBy: SpendGroupBy,
  maxSeries = 5,
): Promise<{ series: SpendSeries[]; buckets: SpendBucket[]; groups: SpendGroup[] }> {
  const column = GROUP_COLUMN[groupBy];
  const unit = window.bucket === "hour" ? Prisma.sql`'hour'` : Prisma.sql`'day'`;
  const rows = await db.$queryRaw<
    {
      bucket: Date;
      groupId: string;
      cost: bigint;
      requests: bigint;
      promptTokens: bigint;
      completionTokens: bigint;
    }[]
  >`
    SELECT date_trunc(${unit}, "hour") AS bucket, ${column} AS "groupId", SUM("cost")::bigint AS cost,
      SUM("requests")::bigint AS requests, SUM("promptTokens")::bigint AS "promptTokens",
      SUM("completionTokens")::bigint AS "completionTokens"
    FROM "UsageRollup"
    WHERE "organizationId" = ${organizationId} AND "hour" >= ${window.from} AND "hour" < ${window.to}
    GROUP BY 1, 2`;

  const perGroup = new Map<string, Omit<SpendGroup, "label">>();
  for (const row of rows) {
    const entry = perGroup.get(row.groupId) ?? {
      id: row.groupId,
      cost: 0n,
      requests: 0,
      promptTokens: 0n,
      completionTokens: 0n,
    };
    entry.cost += row.cost;
    entry.requests += Number(row.requests);
    entry.promptTokens += row.promptTokens;
    entry.completionTokens += row.completionTokens;
    perGroup.set(row.groupId, entry);
  }
  const labels = await groupLabels(db, organizationId, groupBy, [...perGroup.keys()]);
  const groups = [...perGroup.values()]
    .map((group) => ({ ...group, label: labels.get(group.id) ?? group.id }))
    .sort((a, b) => (b.cost === a.cost ? b.requests - a.requests : b.cost > a.cost ? 1 : -1));
  const named = groups.slice(0, groups.length > maxSeries ? maxSeries - 1 : maxSeries);
  const namedIds = new Set(named.map((group) => group.id));
  const series: SpendSeries[] = [
    ...named.map((group) => ({ id: group.id, label: group.label })),
    ...(groups.length > named.length ? [{ id: OTHER_SERIES, label: OTHER_SERIES }] : []),
  ];

  const step = BUCKET_MS[window.bucket];
  const buckets = new Map<number, SpendBucket>();
  for (let at = window.from.getTime(); at < window.to.getTime(); at += step) {
    buckets.set(at, {
      start: new Date(at),
      total: 0n,
      requests: 0,
      bySeries: Object.fromEntries(series.map((entry) => [entry.id, 0n])),
    });
  }
  for (const row of rows) {
    const bucket = buckets.get(row.bucket.getTime());
    if (!bucket) continue;
    const id = namedIds.has(row.groupId) ? row.groupId : OTHER_SERIES;
    bucket.bySeries[id] = (bucket.bySeries[id] ?? 0n) + row.cost;
    bucket.total += row.cost;
    bucket.requests += Number(row.requests);
  }
  return { series, buckets: [...buckets.values()], groups };
}
