import { buildSpendReportData, invoiceHtmlView, spendReportDownload } from "@junction/billing";
import { newId } from "@junction/core";
import { createOrganization, type Db } from "@junction/db";
import { createTestDatabase, type TestDatabase } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let database: TestDatabase;
type Tenant = { organizationId: string; userId: string; reportId: string; invoiceId: string };
let a: Tenant;
let b: Tenant;

async function tenant(db: Db, name: string): Promise<Tenant> {
  const organizationId = (await createOrganization(db, { name })).id;
  const userId = newId("user");
  await db.user.create({ data: { id: userId, email: `${userId}@example.com` } });
  await db.membership.create({ data: { id: newId("membership"), organizationId, userId, role: "viewer" } });
  const periodStart = new Date("2026-10-01T00:00:00Z");
  const periodEnd = new Date("2026-11-01T00:00:00Z");
  const data = buildSpendReportData({
    organizationId,
    period: "monthly",
    periodStart,
    periodEnd,
    generatedAt: periodEnd,
    rows: [],
  });
  const reportId = newId("report");
  await db.spendReport.create({
    data: {
      id: reportId,
      organizationId,
      period: "monthly",
      periodStart,
      periodEnd,
      totalCost: 0n,
      requests: 0,
      data,
    },
  });
  const invoiceId = newId("invoice");
  await db.invoice.create({
    data: {
      id: invoiceId,
      organizationId,
      periodStart,
      periodEnd,
      total: 42n,
      lines: {
        create: [
          {
            id: newId("invoiceLine"),
            modelId: "m",
            providerId: "p",
            requests: 1,
            promptTokens: 1n,
            completionTokens: 1n,
            amount: 42n,
          },
        ],
      },
    },
  });
  return { organizationId, userId, reportId, invoiceId };
}

/** What the dashboard routes pass in: the signed-in user's membership of the object's organization. */
const memberOf = (userId: string) => async (organizationId: string) =>
  (await database.db.membership.count({ where: { userId, organizationId } })) > 0;

beforeAll(async () => {
  database = await createTestDatabase();
  a = await tenant(database.db, "Tenant A");
  b = await tenant(database.db, "Tenant B");
});
afterAll(() => database.drop());

describe("report and invoice downloads", () => {
  it("serve a member the report as CSV or JSON with a download name, and the invoice as HTML", async () => {
    const csv = await spendReportDownload(database.db, {
      id: a.reportId,
      format: "csv",
      canAccess: memberOf(a.userId),
    });
    expect(csv?.headers).toMatchObject({
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="junction-spend-monthly-2026-10.csv"',
      "cache-control": "private, no-store",
    });
    expect(csv?.body.startsWith("dimension,key,label")).toBe(true);
    const json = await spendReportDownload(database.db, {
      id: a.reportId,
      format: "json",
      canAccess: memberOf(a.userId),
    });
    expect(JSON.parse(json?.body ?? "{}")).toMatchObject({
      organizationId: a.organizationId,
      period: "monthly",
    });
    const html = await invoiceHtmlView(database.db, { id: a.invoiceId, canAccess: memberOf(a.userId) });
    expect(html?.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(html?.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(html?.body).toContain("Tenant A");
    expect(html?.body).toContain("Draft invoice");
  });

  it("answer not found for every id of another organization, and for ids that are not ids", async () => {
    for (const [user, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const canAccess = memberOf(user.userId);
      expect(
        await spendReportDownload(database.db, { id: other.reportId, format: "csv", canAccess }),
      ).toBeNull();
      expect(
        await spendReportDownload(database.db, { id: other.reportId, format: "json", canAccess }),
      ).toBeNull();
      expect(await invoiceHtmlView(database.db, { id: other.invoiceId, canAccess })).toBeNull();
      // The same answer as for an id that does not exist at all.
      expect(await invoiceHtmlView(database.db, { id: newId("invoice"), canAccess })).toBeNull();
    }
    const canAccess = memberOf(a.userId);
    expect(await spendReportDownload(database.db, { id: a.invoiceId, format: "csv", canAccess })).toBeNull();
    expect(await invoiceHtmlView(database.db, { id: "../../etc/passwd", canAccess })).toBeNull();
  });
});
