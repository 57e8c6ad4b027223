import type { Db } from "@junction/db";
import { startOfUtcDay, startOfUtcMonth, startOfUtcWeek } from "./periods";

export type KeySpend = { total: bigint; day: bigint; week: bigint; month: bigint };

/**
 * What each key of an organization has spent, all-time and in the current day/week/month (UTC), from the hourly
 * rollups the worker writes. Limit windows start on hour boundaries, so hourly buckets add up to them exactly.
 */
export async function spendByKey(db: Db, organizationId: string, now: Date): Promise<Map<string, KeySpend>> {
  const rows = await db.$queryRaw<
    { apiKeyId: string; total: bigint; day: bigint; week: bigint; month: bigint }[]
  >`
    SELECT "apiKeyId",
      COALESCE(SUM("cost"), 0)::bigint AS total,
      COALESCE(SUM("cost") FILTER (WHERE "hour" >= ${startOfUtcDay(now)}), 0)::bigint AS day,
      COALESCE(SUM("cost") FILTER (WHERE "hour" >= ${startOfUtcWeek(now)}), 0)::bigint AS week,
      COALESCE(SUM("cost") FILTER (WHERE "hour" >= ${startOfUtcMonth(now)}), 0)::bigint AS month
    FROM "UsageRollup" WHERE "organizationId" = ${organizationId} AND "apiKeyId" <> ''
    GROUP BY "apiKeyId"`;
  return new Map(
    rows.map((row) => [row.apiKeyId, { total: row.total, day: row.day, week: row.week, month: row.month }]),
  );
}

export function spendInWindow(
  spend: KeySpend | undefined,
  reset: "never" | "daily" | "weekly" | "monthly",
): bigint {
  if (!spend) return 0n;
  if (reset === "daily") return spend.day;
  if (reset === "weekly") return spend.week;
  if (reset === "monthly") return spend.month;
  return spend.total;
}
