import { JunctionError, type NanoUsd } from "@junction/core";
import { appendLedgerEntry, type Db, type LedgerEntryInput } from "@junction/db";
import type Stripe from "stripe";
import { centsToNano } from "./amounts.js";

export type WebhookOutcome = "credited" | "refunded" | "duplicate" | "ignored";

export type WebhookResult = {
  eventId: string;
  type: string;
  outcome: WebhookOutcome;
  organizationId: string | null;
  /** The signed nano-USD amount this delivery added to the ledger (0 for duplicates and ignored events). */
  amount: NanoUsd;
  reason?: string;
};

/** Events Junction acts on; anything else is acknowledged and not recorded. */
export const HANDLED_STRIPE_EVENTS = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "payment_intent.succeeded",
  "charge.refunded",
] as const;

type Plan = { organizationId: string | null; entries: LedgerEntryInput[]; reason?: string };

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === "string" ? value : (value?.id ?? null);

/** The organization a payment belongs to: our own metadata first (signed by Stripe's delivery), then the customer. */
async function resolveOrganization(
  db: Db,
  metadata: Stripe.Metadata | null | undefined,
  customer: string | null,
): Promise<string | null> {
  const claimed = metadata?.organizationId;
  if (claimed) {
    const found = await db.organization.findUnique({ where: { id: claimed }, select: { id: true } });
    if (found) return found.id;
  }
  if (!customer) return null;
  const owner = await db.organization.findUnique({
    where: { stripeCustomerId: customer },
    select: { id: true },
  });
  return owner?.id ?? null;
}

const isJunctionPayment = (metadata: Stripe.Metadata | null | undefined): boolean =>
  metadata?.purpose === "topup" || metadata?.purpose === "auto_topup";

/**
 * One credit per payment. Both `checkout.session.completed` and `payment_intent.succeeded` describe the same
 * payment; the ledger key is the PaymentIntent's id for both, so whichever arrives second finds it taken.
 */
async function planPaymentCredit(
  db: Db,
  event: Stripe.Event,
  payment: {
    paymentIntentId: string;
    amountCents: number | null;
    currency: string | null;
    metadata: Stripe.Metadata | null;
    customer: string | null;
    checkoutSessionId?: string;
  },
): Promise<Plan> {
  if (!isJunctionPayment(payment.metadata))
    return { organizationId: null, entries: [], reason: "not a Junction top-up" };
  const organizationId = await resolveOrganization(db, payment.metadata, payment.customer);
  if (!organizationId) return { organizationId, entries: [], reason: "no organization for this payment" };
  if (payment.currency !== "usd" || !payment.amountCents) {
    return {
      organizationId,
      entries: [],
      reason: `unexpected amount ${payment.amountCents} ${payment.currency}`,
    };
  }
  const source = payment.metadata?.purpose === "auto_topup" ? "auto_topup" : "checkout";
  return {
    organizationId,
    entries: [
      {
        organizationId,
        kind: "topup",
        amount: centsToNano(payment.amountCents),
        idempotencyKey: `stripe:payment:${payment.paymentIntentId}`,
        description: source === "auto_topup" ? "Auto top-up" : "Top-up",
        metadata: {
          source,
          stripeEventId: event.id,
          paymentIntentId: payment.paymentIntentId,
          checkoutSessionId: payment.checkoutSessionId ?? null,
          amountCents: payment.amountCents,
          requestedNano: payment.metadata?.amountNano ?? null,
        },
      },
    ],
  };
}

/** One negative entry per Stripe refund id, whatever order the refund and payment events arrive in. */
async function planRefunds(
  db: Db,
  stripe: Stripe,
  event: Stripe.Event,
  charge: Stripe.Charge,
): Promise<Plan> {
  const organizationId = await resolveOrganization(db, charge.metadata, idOf(charge.customer));
  if (!organizationId) return { organizationId, entries: [], reason: "no organization for this charge" };
  if (charge.currency !== "usd")
    return { organizationId, entries: [], reason: `currency ${charge.currency}` };
  // Since API version 2022-11-15 a charge does not embed its refunds: list them.
  const refunds = charge.refunds?.data ?? (await stripe.refunds.list({ charge: charge.id, limit: 100 })).data;
  const entries = refunds
    .filter((refund) => refund.status === "succeeded" && refund.currency === "usd")
    .map(
      (refund): LedgerEntryInput => ({
        organizationId,
        kind: "refund",
        amount: -centsToNano(refund.amount),
        idempotencyKey: `stripe:refund:${refund.id}`,
        description: "Refund",
        metadata: {
          stripeEventId: event.id,
          refundId: refund.id,
          chargeId: charge.id,
          paymentIntentId: idOf(charge.payment_intent),
          amountCents: refund.amount,
        },
      }),
    );
  return { organizationId, entries };
}

async function planEvent(db: Db, stripe: Stripe, event: Stripe.Event): Promise<Plan> {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      if (session.mode !== "payment" || session.payment_status !== "paid") {
        return { organizationId: null, entries: [], reason: `payment_status ${session.payment_status}` };
      }
      return planPaymentCredit(db, event, {
        paymentIntentId: idOf(session.payment_intent) ?? session.id,
        amountCents: session.amount_total,
        currency: session.currency,
        metadata: session.metadata,
        customer: idOf(session.customer),
        checkoutSessionId: session.id,
      });
    }
    case "payment_intent.succeeded": {
      const intent = event.data.object;
      return planPaymentCredit(db, event, {
        paymentIntentId: intent.id,
        amountCents: intent.amount_received,
        currency: intent.currency,
        metadata: intent.metadata,
        customer: idOf(intent.customer),
      });
    }
    case "charge.refunded":
      return planRefunds(db, stripe, event, event.data.object);
    default:
      return { organizationId: null, entries: [], reason: "event type not handled" };
  }
}

/**
 * Verifies a Stripe webhook on its raw body and applies it exactly once. In ONE transaction the StripeEvent row
 * (unique on the event id) is inserted and the ledger entries appended (unique on their idempotency keys):
 * a redelivered event finds its row and changes nothing; the two events of one payment find the payment's key
 * taken; a crash between the two writes is impossible. Throws `bad_request` on a bad signature (nothing written).
 */
export async function handleStripeWebhook(
  db: Db,
  stripe: Stripe,
  rawBody: string,
  signatureHeader: string | null | undefined,
  secret: string,
): Promise<WebhookResult> {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(rawBody, signatureHeader ?? "", secret);
  } catch (error) {
    throw new JunctionError("bad_request", "Invalid Stripe webhook signature", {
      param: "stripe-signature",
      cause: error,
    });
  }
  const base = { eventId: event.id, type: event.type, amount: 0n };
  if (!(HANDLED_STRIPE_EVENTS as readonly string[]).includes(event.type)) {
    return { ...base, outcome: "ignored", organizationId: null, reason: "event type not handled" };
  }
  const seen = await db.stripeEvent.findUnique({ where: { id: event.id }, select: { organizationId: true } });
  if (seen) return { ...base, outcome: "duplicate", organizationId: seen.organizationId };

  const plan = await planEvent(db, stripe, event);
  return db.$transaction(async (tx) => {
    const recorded = await tx.$executeRaw`
      INSERT INTO "StripeEvent" ("id", "type", "organizationId", "processedAt")
      VALUES (${event.id}, ${event.type}, ${plan.organizationId}, now())
      ON CONFLICT ("id") DO NOTHING`;
    if (recorded === 0)
      return { ...base, outcome: "duplicate" as const, organizationId: plan.organizationId };
    let amount = 0n;
    for (const entry of plan.entries) {
      if (await appendLedgerEntry(tx, entry)) amount += entry.amount;
    }
    const outcome: WebhookOutcome =
      amount === 0n ? (plan.entries.length ? "duplicate" : "ignored") : amount > 0n ? "credited" : "refunded";
    return {
      ...base,
      outcome,
      organizationId: plan.organizationId,
      amount,
      ...(plan.reason && { reason: plan.reason }),
    };
  });
}
