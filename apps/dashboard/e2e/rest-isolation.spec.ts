import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { E2E } from "./env";
import { signUp } from "./helpers";

/**
 * REST isolation matrix (dashboard): every route handler and page that takes an id, requested by tenant B with
 * tenant A's ids, answers 404 like a missing id; A itself gets 200 (so the probe is not vacuous). The audit export
 * takes ids only as filters: B filtering by A's ids gets an empty CSV. The first check fails when a route with an
 * id is added to app/ without a row here.
 */
const APP = fileURLToPath(new URL("../app/", import.meta.url));

/** Route directories with a dynamic segment (catch-alls of next-auth and tRPC excluded: they take no ids). */
function dynamicRoutes(dir = APP, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory()) return [];
    const segment = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
    const path = `${prefix}${segment}`;
    const here = /\/\[[^.\]]+\]$/.test(path) && path !== "/api/trpc/[trpc]" ? [path] : [];
    return [...here, ...dynamicRoutes(`${dir}${entry.name}/`, path)];
  });
}

/** A well-formed id (prefix + 26 Crockford base32 characters, like newId), so routes reach the tenancy check. */
const fakeId = (prefix: string) =>
  `${prefix}_01${Array.from({ length: 24 }, () => "0123456789abcdefghjkmnpqrstvwxyz"[Math.floor(Math.random() * 32)]).join("")}`;

/** A stored spend report body in the worker's format (spendReportDataSchema), totals only. */
function reportData(organizationId: string, start: Date, end: Date) {
  const total = {
    requests: 1,
    errors: 0,
    promptTokens: 10,
    completionTokens: 20,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    costUsd: "0.000001234",
    costNano: "1234",
  };
  return {
    version: 1,
    organizationId,
    period: "monthly",
    periodStart: start.toISOString(),
    periodEnd: end.toISOString(),
    generatedAt: end.toISOString(),
    partial: false,
    currency: "USD",
    total,
    byModel: [],
    byProvider: [],
    byKey: [],
    byDay: [],
  };
}

test("another tenant's ids answer 404 on every dashboard route that takes one", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const alice = {
    name: "Alice Iso",
    email: `alice.iso.${stamp}@example.com`,
    password: "alice password 123",
  };
  const bob = { name: "Bob Iso", email: `bob.iso.${stamp}@example.com`, password: "bob password 12345" };
  await signUp(page, alice);
  const bobContext = await browser.newContext();
  const bobPage = await bobContext.newPage();
  await signUp(bobPage, bob);

  const db = new pg.Client({ connectionString: E2E.databaseUrl });
  await db.connect();
  const orgOf = async (email: string) =>
    (
      await db.query<{ organizationId: string }>(
        `SELECT m."organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
        [email],
      )
    ).rows[0]?.organizationId as string;
  const aliceOrg = await orgOf(alice.email);
  const ids = { invoice: fakeId("inv"), report: fakeId("rpt"), generation: fakeId("gen") };
  const start = new Date(Date.UTC(2026, 9, 1));
  const end = new Date(Date.UTC(2026, 10, 1));
  await db.query(
    `INSERT INTO "Invoice" (id, "organizationId", number, "periodStart", "periodEnd", status, total, "finalizedAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, 'finalized', 1234, now(), now())`,
    [ids.invoice, aliceOrg, `ISO-${stamp}`, start, end],
  );
  await db.query(
    `INSERT INTO "SpendReport" (id, "organizationId", period, "periodStart", "periodEnd", "totalCost", requests, data)
     VALUES ($1, $2, 'monthly', $3, $4, 1234, 1, $5)`,
    [ids.report, aliceOrg, start, end, JSON.stringify(reportData(aliceOrg, start, end))],
  );
  await db.query(
    `INSERT INTO "Generation" (id, "organizationId", "requestedModel", "apiFormat", route, status, "completedAt")
     VALUES ($1, $2, 'sandbox/junction-small', 'openai', 'chat', 'success', now())`,
    [ids.generation, aliceOrg],
  );
  const aliceUser = (await db.query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [alice.email]))
    .rows[0]?.id as string;
  await db.end();

  const MATRIX: Record<string, string[]> = {
    "/api/invoices/[id]": [`/api/invoices/${ids.invoice}`],
    "/api/reports/[id]": [`/api/reports/${ids.report}?format=csv`, `/api/reports/${ids.report}?format=json`],
    "/activity/[id]": [`/activity/${ids.generation}`],
  };
  // Dynamic segments that are not tenant ids: an invitation link's token is itself the credential (unknown, used
  // or revoked tokens answer "invalid or expired" to everyone).
  const NOT_IDS = ["/invite/[token]"];
  expect(
    dynamicRoutes()
      .filter((route) => !NOT_IDS.includes(route))
      .sort(),
  ).toEqual(Object.keys(MATRIX).sort());

  for (const paths of Object.values(MATRIX)) {
    for (const path of paths) {
      expect((await page.request.get(path)).status(), `Alice ${path}`).toBe(200);
      const forBob = await bobPage.request.get(path);
      expect(forBob.status(), `Bob ${path}`).toBe(404);
      expect(await forBob.text()).not.toContain(aliceOrg);
    }
  }

  // The audit export: ids only as filters, always within the caller's own organization.
  for (const query of [`actor=${aliceUser}`, `target=${aliceOrg}`]) {
    const csv = await bobPage.request.get(`/api/audit/export?${query}`);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).trim().split("\r\n")).toHaveLength(1);
  }
  const own = await page.request.get(`/api/audit/export?target=${aliceOrg}`);
  expect((await own.text()).trim().split("\r\n").length).toBeGreaterThan(1);
  await bobContext.close();
});
