import { buildSpendReportData, type RollupRow, type SpendReportData } from "@junction/billing";
import { newId } from "@junction/core";
import type { Db } from "@junction/db";
import { periodContaining, periodsBetween, type ReportPeriodKind } from "./periods.js";

export type SpendReportRecord = {
  id: string;
  organizationId: string;
  period: ReportPeriodKind;
  periodStart: Date;
  periodEnd: Date;
  totalCost: bigint;
  requests: number;
  data: SpendReportData;
};

/**
 * Builds one organization's spend report for one period from its hourly rollups and stores it. Idempotent: the
 * row is upserted on (organization, period, start), so regenerating a period (late usage) replaces its figures.
 */
export async function writeSpendReport(
  db: Db,
  organizationId: string,
  period: ReportPeriodKind,
  at: Date,
  generatedAt: Date = new Date(),
): Promise<SpendReportRecord> {
  const { start, end } = periodContaining(period, at);
  const rows: RollupRow[] = await db.usageRollup.findMany({
    where: { organizationId, hour: { gte: start, lt: end } },
    select: {
      apiKeyId: true,
      modelId: true,
      providerId: true,
      hour: true,
      requests: true,
      errors: true,
      promptTokens: true,
      completionTokens: true,
      cachedTokens: true,
      cacheWriteTokens: true,
      cost: true,
    },
  });
  const keyIds = [...new Set(rows.map((row) => row.apiKeyId).filter(Boolean))];
  const keys = keyIds.length
    ? await db.apiKey.findMany({
        where: { id: { in: keyIds }, organizationId },
        select: { id: true, name: true },
      })
    : [];
  const data = buildSpendReportData({
    organizationId,
    period,
    periodStart: start,
    periodEnd: end,
    generatedAt,
    rows,
    keyNames: new Map(keys.map((key) => [key.id, key.name])),
  });
  const totalCost = BigInt(data.total.costNano);
  const stored = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "SpendReport" ("id", "organizationId", "period", "periodStart", "periodEnd", "totalCost", "requests",
      "data", "createdAt")
    VALUES (${newId("report")}, ${organizationId}, ${period}::"ReportPeriod", ${start}, ${end}, ${totalCost},
      ${data.total.requests}, ${JSON.stringify(data)}::jsonb, now())
    ON CONFLICT ("organizationId", "period", "periodStart") DO UPDATE SET
      "periodEnd" = EXCLUDED."periodEnd", "totalCost" = EXCLUDED."totalCost", "requests" = EXCLUDED."requests",
      "data" = EXCLUDED."data"
    RETURNING "id"`;
  const id = stored[0]?.id ?? "";
  return {
    id,
    organizationId,
    period,
    periodStart: start,
    periodEnd: end,
    totalCost,
    requests: data.total.requests,
    data,
  };
}

/**
 * The scheduled job: (re)builds the daily and monthly reports of every period overlapping the last `lookbackHours`
 * (so usage ingested late still lands in yesterday's report), for every organization with usage in it.
 */
export async function generateSpendReports(
  db: Db,
  options: { at?: Date; lookbackHours?: number } = {},
): Promise<{ reports: number }> {
  const at = options.at ?? new Date();
  const from = new Date(at.getTime() - (options.lookbackHours ?? 48) * 3_600_000);
  let reports = 0;
  for (const kind of ["daily", "monthly"] as const) {
    for (const { start, end } of periodsBetween(kind, from, at)) {
      const organizations = await db.usageRollup.findMany({
        where: { hour: { gte: start, lt: end } },
        distinct: ["organizationId"],
        select: { organizationId: true },
      });
      for (const { organizationId } of organizations) {
        await writeSpendReport(db, organizationId, kind, start, at);
        reports++;
      }
    }
  }
  return { reports };
}
