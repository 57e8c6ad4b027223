import { createTopUpCheckout, handleStripeWebhook, maybeAutoTopUp } from "@junction/billing";
import { createOrganization, fullLedgerBalance, settledBalance } from "@junction/db";
import { createTestGeneration } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StripeHarness, startStripeHarness, WEBHOOK_SECRET } from "./stripe-harness.js";

let harness: StripeHarness;
beforeAll(async () => {
  harness = await startStripeHarness();
});
afterAll(() => harness.close());

const USD = 1_000_000_000n;

/** An organization that paid $25 through Checkout (card saved) with auto top-up of $50 below $20. */
async function autoTopUpOrg(): Promise<string> {
  const { db } = harness.database;
  const organizationId = (await createOrganization(db, { name: "Auto Co" })).id;
  const session = await createTopUpCheckout(db, harness.stripe, {
    organizationId,
    amountUsd: "25",
    successUrl: "https://app.example/ok",
    cancelUrl: "https://app.example/cancel",
  });
  const { checkoutSessionCompleted } = harness.fake.completeCheckout(session.id);
  const { payload, header } = harness.sign(checkoutSessionCompleted);
  await handleStripeWebhook(db, harness.stripe, payload, header, WEBHOOK_SECRET);
  await db.organization.update({
    where: { id: organizationId },
    data: { autoTopUpThreshold: 20n * USD, autoTopUpAmount: 50n * USD },
  });
  return organizationId;
}

const autoIntents = (organizationId: string) =>
  [...harness.fake.paymentIntents.values()].filter(
    (intent) =>
      (intent.metadata as Record<string, string>).organizationId === organizationId &&
      (intent.metadata as Record<string, string>).purpose === "auto_topup",
  );

describe("auto top-up", () => {
  it("charges the saved card once below the threshold, however many triggers race, and credits once", async () => {
    const { db } = harness.database;
    const organizationId = await autoTopUpOrg();
    expect((await maybeAutoTopUp(db, harness.stripe, organizationId)).outcome).toBe("above_threshold");
    await createTestGeneration(db, { organizationId, cost: 10n * USD }); // spendable: 25 − 10 = 15 < 20
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => maybeAutoTopUp(db, harness.stripe, organizationId)),
    );
    // A racer that read the balance before the credit landed gets the same PaymentIntent back ("charged"); one that
    // read it after sees the balance back above the threshold. No other outcome, and only one payment.
    const charged = results.filter((result) => result.outcome === "charged");
    const late = results.filter((result) => result.outcome !== "charged");
    expect(late.every((result) => result.outcome === "above_threshold")).toBe(true);
    expect(charged.length).toBeGreaterThan(0);
    expect(new Set(charged.map((result) => result.paymentIntentId)).size).toBe(1);
    expect(autoIntents(organizationId)).toHaveLength(1);
    expect(await settledBalance(db, organizationId)).toBe(65n * USD);
    expect((await maybeAutoTopUp(db, harness.stripe, organizationId)).outcome).toBe("above_threshold");

    // Stripe's own payment_intent.succeeded for it arrives later: the same payment, so no second credit.
    const event = harness.fake.events.find(
      (candidate) =>
        candidate.type === "payment_intent.succeeded" &&
        (candidate.data as { object: { id: string } }).object.id === charged[0]?.paymentIntentId,
    );
    expect(event).toBeDefined();
    const { payload, header } = harness.sign(event ?? {});
    expect((await handleStripeWebhook(db, harness.stripe, payload, header, WEBHOOK_SECRET)).outcome).toBe(
      "duplicate",
    );
    expect(await fullLedgerBalance(db, organizationId)).toBe(75n * USD);

    // Spent down again: the next auto top-up is a new payment.
    await createTestGeneration(db, { organizationId, cost: 50n * USD });
    const next = await maybeAutoTopUp(db, harness.stripe, organizationId);
    expect(next.outcome).toBe("charged");
    expect(next.paymentIntentId).not.toBe(charged[0]?.paymentIntentId);
    expect(autoIntents(organizationId)).toHaveLength(2);
  });

  it("a declined card fails without a retry storm: repeated triggers replay the same declined attempt", async () => {
    const { db } = harness.database;
    const organizationId = await autoTopUpOrg();
    await createTestGeneration(db, { organizationId, cost: 20n * USD });
    harness.fake.declineCards = true;
    try {
      const first = await maybeAutoTopUp(db, harness.stripe, organizationId);
      const again = await maybeAutoTopUp(db, harness.stripe, organizationId);
      expect([first.outcome, again.outcome]).toEqual(["failed", "failed"]);
      expect(first.reason).toMatch(/declined/);
      expect(autoIntents(organizationId)).toHaveLength(1);
      expect(await fullLedgerBalance(db, organizationId)).toBe(25n * USD);
    } finally {
      harness.fake.declineCards = false;
    }
  });

  it("does nothing for an organization without auto top-up or without a saved card", async () => {
    const { db } = harness.database;
    const plain = (await createOrganization(db, { name: "Plain Co" })).id;
    expect((await maybeAutoTopUp(db, harness.stripe, plain)).outcome).toBe("not_configured");
    const organizationId = await autoTopUpOrg();
    const customer = (await db.organization.findUniqueOrThrow({ where: { id: organizationId } }))
      .stripeCustomerId;
    const cardless = (await createOrganization(db, { name: "Cardless Co" })).id;
    const other = await harness.stripe.customers.create({ name: "Cardless" });
    await db.organization.update({
      where: { id: cardless },
      data: { stripeCustomerId: other.id, autoTopUpThreshold: USD, autoTopUpAmount: 10n * USD },
    });
    expect(customer).not.toBe(other.id);
    expect((await maybeAutoTopUp(db, harness.stripe, cardless)).outcome).toBe("no_payment_method");
  });
});
