import { createTopUpCheckout, handleStripeWebhook, type WebhookResult } from "@junction/billing";
import { isJunctionError } from "@junction/core";
import { createOrganization, fullLedgerBalance } from "@junction/db";
import type { StripeJson } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StripeHarness, startStripeHarness, WEBHOOK_SECRET } from "./stripe-harness.js";

let harness: StripeHarness;
beforeAll(async () => {
  harness = await startStripeHarness();
});
afterAll(() => harness.close());

function deliver(event: StripeJson): Promise<WebhookResult> {
  const { payload, header } = harness.sign(event);
  return handleStripeWebhook(harness.database.db, harness.stripe, payload, header, WEBHOOK_SECRET);
}

/** An organization that went through Checkout for `amountUsd`; returns the events Stripe would send. */
async function paidTopUp(amountUsd: string) {
  const { db } = harness.database;
  const organizationId = (await createOrganization(db, { name: "Webhook Co" })).id;
  const session = await createTopUpCheckout(db, harness.stripe, {
    organizationId,
    amountUsd,
    successUrl: "https://app.example/ok",
    cancelUrl: "https://app.example/cancel",
  });
  return { organizationId, ...harness.fake.completeCheckout(session.id) };
}

const stripeRows = (organizationId: string) =>
  harness.database.db.stripeEvent.count({ where: { organizationId } });
const entries = (organizationId: string) =>
  harness.database.db.creditLedgerEntry.findMany({
    where: { organizationId },
    orderBy: { createdAt: "asc" },
  });

describe("handleStripeWebhook", () => {
  it("a valid checkout.session.completed credits the paid amount once; the same event 3× (and 3× at once) changes nothing", async () => {
    const { organizationId, checkoutSessionCompleted } = await paidTopUp("25");
    const outcomes = [await deliver(checkoutSessionCompleted), await deliver(checkoutSessionCompleted)];
    outcomes.push(await deliver(checkoutSessionCompleted));
    outcomes.push(...(await Promise.all([1, 2, 3].map(() => deliver(checkoutSessionCompleted)))));
    expect(outcomes.map((result) => result.outcome)).toEqual([
      "credited",
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
    ]);
    expect(outcomes[0]).toMatchObject({ organizationId, amount: 25_000_000_000n });
    expect(await fullLedgerBalance(harness.database.db, organizationId)).toBe(25_000_000_000n);
    const [entry] = await entries(organizationId);
    const intent = (checkoutSessionCompleted.data as { object: { payment_intent: string } }).object
      .payment_intent;
    expect(entry).toMatchObject({ kind: "topup", idempotencyKey: `stripe:payment:${intent}` });
    expect(await stripeRows(organizationId)).toBe(1);
  });

  it("out of order — payment_intent.succeeded before checkout.session.completed, each redelivered — credits once", async () => {
    const { organizationId, checkoutSessionCompleted, paymentIntentSucceeded, chargeSucceeded } =
      await paidTopUp("40.10");
    const outcomes = [];
    for (const event of [
      paymentIntentSucceeded,
      chargeSucceeded,
      checkoutSessionCompleted,
      paymentIntentSucceeded,
    ]) {
      outcomes.push((await deliver(event)).outcome);
    }
    // charge.succeeded is not an event Junction acts on.
    expect(outcomes).toEqual(["credited", "ignored", "duplicate", "duplicate"]);
    expect(await fullLedgerBalance(harness.database.db, organizationId)).toBe(40_100_000_000n);
    expect(await entries(organizationId)).toHaveLength(1);
    // Both payment events are recorded as processed; the ignored type is not.
    expect(await stripeRows(organizationId)).toBe(2);
  });

  it("both payment events delivered at the same moment still credit once", async () => {
    const { organizationId, checkoutSessionCompleted, paymentIntentSucceeded } = await paidTopUp("7");
    const results = await Promise.all([
      deliver(checkoutSessionCompleted),
      deliver(paymentIntentSucceeded),
      deliver(checkoutSessionCompleted),
      deliver(paymentIntentSucceeded),
    ]);
    expect(results.filter((result) => result.outcome === "credited")).toHaveLength(1);
    expect(await fullLedgerBalance(harness.database.db, organizationId)).toBe(7_000_000_000n);
  });

  it("a bad signature is rejected with bad_request and nothing is written", async () => {
    const { organizationId, checkoutSessionCompleted } = await paidTopUp("12");
    const { db } = harness.database;
    const good = harness.sign(checkoutSessionCompleted);
    const forged = harness.sign(checkoutSessionCompleted, { secret: "whsec_attacker" });
    const stale = harness.sign(checkoutSessionCompleted, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const attempts: [string, string | null][] = [
      [forged.payload, forged.header], // signed with another secret
      [good.payload.replace('"amount_total": 1200', '"amount_total": 120000'), good.header], // body changed after signing
      [stale.payload, stale.header], // replayed an hour later
      [good.payload, null], // no header at all
      [good.payload, "t=1,v1=deadbeef"],
    ];
    for (const [payload, header] of attempts) {
      const error = await handleStripeWebhook(db, harness.stripe, payload, header, WEBHOOK_SECRET).catch(
        (caught: unknown) => caught,
      );
      expect(isJunctionError(error) && error.code === "bad_request" && error.status === 400).toBe(true);
    }
    expect(await entries(organizationId)).toHaveLength(0);
    expect(await db.stripeEvent.count({ where: { id: checkoutSessionCompleted.id as string } })).toBe(0);
  });

  it("charge.refunded appends one negative refund entry per refund, however often and in whatever order it arrives", async () => {
    const { organizationId, checkoutSessionCompleted, paymentIntentSucceeded } = await paidTopUp("30");
    const intentId = (paymentIntentSucceeded.data as { object: { id: string } }).object.id;
    // The first refund's event arrives before the payment's own events (Stripe does not promise an order).
    const first = harness.fake.refund(intentId, 1000);
    const refunded = [await deliver(first.chargeRefunded), await deliver(first.chargeRefunded)];
    expect(refunded.map((result) => [result.outcome, result.amount])).toEqual([
      ["refunded", -10_000_000_000n],
      ["duplicate", 0n],
    ]);
    await deliver(checkoutSessionCompleted);
    // A second, partial refund: its event lists both refunds; only the new one is added.
    const second = harness.fake.refund(intentId, 250);
    const again = await deliver(second.chargeRefunded);
    expect([again.outcome, again.amount]).toEqual(["refunded", -2_500_000_000n]);
    await deliver(first.chargeRefunded);
    const ledger = await entries(organizationId);
    expect(ledger.map((entry) => [entry.kind, entry.amount, entry.idempotencyKey]).sort()).toEqual(
      [
        ["refund", -10_000_000_000n, `stripe:refund:${first.refund.id}`],
        ["refund", -2_500_000_000n, `stripe:refund:${second.refund.id}`],
        ["topup", 30_000_000_000n, `stripe:payment:${intentId}`],
      ].sort(),
    );
    expect(await fullLedgerBalance(harness.database.db, organizationId)).toBe(17_500_000_000n);
  });

  it("events that are not Junction top-ups are acknowledged and credit nothing", async () => {
    const foreign = harness.fake.event("payment_intent.succeeded", {
      id: "pi_foreign",
      object: "payment_intent",
      amount_received: 5000,
      currency: "usd",
      customer: null,
      metadata: {},
    });
    expect(await deliver(foreign)).toMatchObject({ outcome: "ignored", organizationId: null, amount: 0n });
    const other = harness.fake.event("customer.created", { id: "cus_x", object: "customer" });
    expect(await deliver(other)).toMatchObject({ outcome: "ignored" });
    expect(await harness.database.db.stripeEvent.count({ where: { id: other.id as string } })).toBe(0);
  });
});
