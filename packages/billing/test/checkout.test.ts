import { createTopUpCheckout, DEFAULT_TOP_UP_LIMITS } from "@junction/billing";
import { isJunctionError } from "@junction/core";
import { createOrganization } from "@junction/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StripeHarness, startStripeHarness } from "./stripe-harness.js";

let harness: StripeHarness;
beforeAll(async () => {
  harness = await startStripeHarness();
});
afterAll(() => harness.close());

const urls = { successUrl: "https://app.example/credits?paid=1", cancelUrl: "https://app.example/credits" };

describe("createTopUpCheckout", () => {
  it("creates the organization's Stripe customer once and a session whose metadata carries org and nano amount", async () => {
    const { db } = harness.database;
    const organizationId = (await createOrganization(db, { name: "Checkout Co" })).id;
    const first = await createTopUpCheckout(db, harness.stripe, {
      organizationId,
      amountUsd: "25.50",
      ...urls,
    });
    const second = await createTopUpCheckout(db, harness.stripe, {
      organizationId,
      amountUsd: "10",
      ...urls,
    });
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_/);
    expect(first.amountNano).toBe(25_500_000_000n);
    const organization = await db.organization.findUniqueOrThrow({ where: { id: organizationId } });
    expect(organization.stripeCustomerId).toMatch(/^cus_/);
    expect(harness.fake.customers.size).toBe(1);
    const session = harness.fake.checkoutSessions.get(first.id);
    expect(session).toMatchObject({
      mode: "payment",
      amount_total: 2550,
      currency: "usd",
      customer: organization.stripeCustomerId,
      client_reference_id: organizationId,
      metadata: { organizationId, amountNano: "25500000000", purpose: "topup" },
    });
    expect(harness.fake.checkoutSessions.get(second.id)).toMatchObject({ amount_total: 1000 });
  });

  it("concurrent first top-ups of one organization still make one Stripe customer", async () => {
    const { db } = harness.database;
    const organizationId = (await createOrganization(db, { name: "Race Co" })).id;
    const before = harness.fake.customers.size;
    await Promise.all(
      [1, 2, 3].map(() =>
        createTopUpCheckout(db, harness.stripe, { organizationId, amountUsd: "5", ...urls }),
      ),
    );
    expect(harness.fake.customers.size).toBe(before + 1);
    const sessions = [...harness.fake.checkoutSessions.values()].filter(
      (session) => session.client_reference_id === organizationId,
    );
    expect(new Set(sessions.map((session) => session.customer)).size).toBe(1);
  });

  it("refuses amounts outside the limits, fractions of a cent and non-http URLs, before calling Stripe", async () => {
    const { db } = harness.database;
    const organizationId = (await createOrganization(db, { name: "Limits Co" })).id;
    const requests = harness.fake.requests.length;
    for (const [amountUsd, message] of [
      ["4.99", /between \$5\.00 and \$10,000\.00/],
      ["10000.01", /between/],
      ["12.345", /whole cents/],
      ["ten", /amount in USD/],
    ] as const) {
      const error = await createTopUpCheckout(db, harness.stripe, {
        organizationId,
        amountUsd,
        ...urls,
      }).catch((caught: unknown) => caught);
      expect(isJunctionError(error) && error.code === "bad_request" && error.param === "amountUsd").toBe(
        true,
      );
      expect((error as Error).message).toMatch(message);
    }
    const badUrl = await createTopUpCheckout(db, harness.stripe, {
      organizationId,
      amountUsd: "20",
      successUrl: "javascript:alert(1)",
      cancelUrl: urls.cancelUrl,
    }).catch((caught: unknown) => caught);
    expect(isJunctionError(badUrl) && badUrl.param === "successUrl").toBe(true);
    expect(harness.fake.requests.length).toBe(requests);
    expect(DEFAULT_TOP_UP_LIMITS.minNano).toBe(5_000_000_000n);
  });

  it("an unknown organization is not found (no customer is created)", async () => {
    const error = await createTopUpCheckout(harness.database.db, harness.stripe, {
      organizationId: "org_01jzzzzzzzzzzzzzzzzzzzzzzz",
      amountUsd: "20",
      ...urls,
    }).catch((caught: unknown) => caught);
    expect(isJunctionError(error) && error.code === "not_found").toBe(true);
  });
});
