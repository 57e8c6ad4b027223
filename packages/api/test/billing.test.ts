import { createStripeClient } from "@junction/billing";
import { newId } from "@junction/core";
import type { Db } from "@junction/db";
import { type FakeStripe, startFakeStripe } from "@junction/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTRPCContext } from "../src/index";
import { addMember, codeOf, createHarness, type Harness, signUpUser } from "./harness";

let h: Harness;
let fake: FakeStripe;
let withStripe: Harness["as"];

async function seedDocuments(db: Db, organizationId: string, total: bigint) {
  const invoiceId = newId("invoice");
  const reportId = newId("report");
  const periodStart = new Date(Date.UTC(2026, 9, 1));
  const periodEnd = new Date(Date.UTC(2026, 10, 1));
  await db.invoice.create({
    data: {
      id: invoiceId,
      organizationId,
      number: `JNC-T-${invoiceId}`,
      periodStart,
      periodEnd,
      status: "finalized",
      total,
      finalizedAt: periodEnd,
    },
  });
  await db.spendReport.create({
    data: {
      id: reportId,
      organizationId,
      period: "monthly",
      periodStart,
      periodEnd,
      totalCost: total,
      requests: 3,
      data: {},
    },
  });
  return { invoiceId, reportId };
}

beforeAll(async () => {
  [h, fake] = await Promise.all([createHarness(), startFakeStripe()]);
  const services = {
    ...h.services,
    stripe: createStripeClient({ STRIPE_SECRET_KEY: "sk_test_junction", STRIPE_API_BASE: fake.url }),
  };
  withStripe = (userId, activeOrganizationId = null) =>
    createCaller(
      createTRPCContext(services, {
        session: userId ? { userId, activeOrganizationId } : null,
        ip: "203.0.113.9",
      }),
    );
});
afterAll(async () => {
  await Promise.all([h?.close(), fake?.close()]);
});

describe("billing.invoices / billing.reports", () => {
  it("lists the caller's organization's documents only, for viewers too", async () => {
    const alice = await signUpUser(h, "Alice");
    const bob = await signUpUser(h, "Bob");
    const aliceDocs = await seedDocuments(h.db, alice.organizationId, 123_000_000n);
    const bobDocs = await seedDocuments(h.db, bob.organizationId, 456_000_000n);
    const viewer = await addMember(h.db, bob.organizationId, "viewer");

    for (const api of [h.as(bob.userId), h.as(bob.userId, alice.organizationId), h.as(viewer.userId)]) {
      const invoices = await api.billing.invoices();
      expect(invoices.map((invoice) => invoice.id)).toEqual([bobDocs.invoiceId]);
      expect(invoices[0]?.total).toBe(456_000_000n);
      const reports = await api.billing.reports();
      expect(reports.map((report) => report.id)).toEqual([bobDocs.reportId]);
      const text = JSON.stringify([invoices, reports], (_, v) => (typeof v === "bigint" ? `${v}` : v));
      expect(text).not.toContain(aliceDocs.invoiceId);
      expect(text).not.toContain(aliceDocs.reportId);
      expect(text).not.toContain(alice.organizationId);
    }
    expect((await h.as(alice.userId).billing.invoices()).map((invoice) => invoice.id)).toEqual([
      aliceDocs.invoiceId,
    ]);
  });

  it("requires a session", async () => {
    expect(await codeOf(h.as(null).billing.invoices())).toBe("UNAUTHORIZED");
    expect(await codeOf(h.as(null).billing.reports())).toBe("UNAUTHORIZED");
  });
});

describe("credits.createTopUp", () => {
  it("explains when Stripe is not configured", async () => {
    const owner = await signUpUser(h, "Nostripe");
    const failure = await h
      .as(owner.userId)
      .credits.createTopUp({ amountUsd: "25" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TRPCError);
    expect((failure as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect((failure as TRPCError).message).toMatch(/STRIPE_SECRET_KEY/);
  });

  it("is refused to members and viewers", async () => {
    const owner = await signUpUser(h, "Olga");
    const member = await addMember(h.db, owner.organizationId, "member");
    const viewer = await addMember(h.db, owner.organizationId, "viewer");
    const before = fake.checkoutSessions.size;
    expect(await codeOf(withStripe(member.userId).credits.createTopUp({ amountUsd: "25" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(withStripe(viewer.userId).credits.createTopUp({ amountUsd: "25" }))).toBe(
      "FORBIDDEN",
    );
    expect(fake.checkoutSessions.size).toBe(before);
  });

  it("returns a Stripe Checkout URL for the caller's organization (admin)", async () => {
    const owner = await signUpUser(h, "Carol");
    const other = await signUpUser(h, "Dave");
    const admin = await addMember(h.db, owner.organizationId, "admin");
    // The session names another organization: membership decides, the top-up is for the admin's own.
    const { url } = await withStripe(admin.userId, other.organizationId).credits.createTopUp({
      amountUsd: "25",
    });
    expect(url).toMatch(/^https?:\/\//);
    const session = [...fake.checkoutSessions.values()].find((s) => s.url === url);
    expect(session).toBeDefined();
    expect(session?.metadata).toMatchObject({
      organizationId: owner.organizationId,
      amountNano: "25000000000",
      purpose: "topup",
    });
    expect(session?.success_url).toBe("http://dashboard.test/credits?topup=success");
    expect(session?.cancel_url).toBe("http://dashboard.test/credits?topup=cancelled");
    const org = await h.db.organization.findUniqueOrThrow({ where: { id: owner.organizationId } });
    expect(org.stripeCustomerId).toBeTruthy();
    // Nothing is credited until the webhook reports the payment.
    expect(
      await h.db.creditLedgerEntry.count({ where: { organizationId: owner.organizationId, kind: "topup" } }),
    ).toBe(0);
  });

  it("rejects amounts outside the top-up limits", async () => {
    const owner = await signUpUser(h, "Erin");
    expect(await codeOf(withStripe(owner.userId).credits.createTopUp({ amountUsd: "1" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(withStripe(owner.userId).credits.createTopUp({ amountUsd: "abc" }))).toBe(
      "BAD_REQUEST",
    );
  });
});
