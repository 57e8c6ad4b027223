import type { NanoUsd } from "@junction/core";
import { appendLedgerEntry, type Db, type DbOrTx, settledBalance } from "@junction/db";
import Stripe from "stripe";
import { centsToNano, nanoToCents } from "./amounts.js";
import type { PaymentMetadata } from "./checkout.js";

export type AutoTopUpResult = {
  organizationId: string;
  outcome: "not_configured" | "above_threshold" | "no_payment_method" | "charged" | "processing" | "failed";
  balance?: NanoUsd;
  paymentIntentId?: string;
  reason?: string;
};

/** How many auto top-ups of this organization have been credited: the sequence number of the next one is this + 1. */
async function creditedAutoTopUps(db: DbOrTx, organizationId: string): Promise<number> {
  const rows = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM "CreditLedgerEntry"
    WHERE "organizationId" = ${organizationId} AND "kind" = 'topup' AND "metadata"->>'source' = 'auto_topup'`;
  return rows[0]?.count ?? 0;
}

/**
 * Charges the saved card off-session when the balance is below Organization.autoTopUpThreshold. At most one auto
 * top-up per organization is in flight: the PaymentIntent's idempotency key is the organization plus the sequence
 * number of the next auto top-up (credited ones + 1), so every trigger until that one is credited — from any worker
 * or gateway, concurrently or later — gets the same PaymentIntent back from Stripe instead of a new charge. A
 * declined card stays declined for that key (Stripe keeps idempotent results for 24 h): no retry storm.
 * A payment that succeeds at once is credited here (same ledger key as the webhook's, so the webhook is a no-op).
 */
export async function maybeAutoTopUp(
  db: Db,
  stripe: Stripe,
  organizationId: string,
): Promise<AutoTopUpResult> {
  const organization = await db.organization.findUnique({
    where: { id: organizationId },
    select: { autoTopUpThreshold: true, autoTopUpAmount: true, stripeCustomerId: true },
  });
  const threshold = organization?.autoTopUpThreshold;
  const amount = organization?.autoTopUpAmount;
  const customer = organization?.stripeCustomerId;
  const cents = amount ? nanoToCents(amount) : null;
  if (threshold === null || threshold === undefined || !amount || !customer || !cents) {
    return { organizationId, outcome: "not_configured" };
  }
  // Balance and sequence from one snapshot: a racing caller sees either neither or both of a credited top-up,
  // so it either reuses the same sequence (same PaymentIntent) or sees the balance back above the threshold.
  const { balance, credited } = await db.$transaction(
    async (tx) => ({
      balance: await settledBalance(tx, organizationId),
      credited: await creditedAutoTopUps(tx, organizationId),
    }),
    { isolationLevel: "RepeatableRead" },
  );
  if (balance >= threshold) return { organizationId, outcome: "above_threshold", balance };

  const methods = await stripe.customers.listPaymentMethods(customer, { limit: 1 });
  const method = methods.data[0];
  if (!method) return { organizationId, outcome: "no_payment_method", balance };

  const sequence = credited + 1;
  const metadata: PaymentMetadata & { sequence: string } = {
    organizationId,
    amountNano: amount.toString(),
    purpose: "auto_topup",
    sequence: String(sequence),
  };
  let intent: Stripe.PaymentIntent;
  try {
    intent = await stripe.paymentIntents.create(
      {
        amount: cents,
        currency: "usd",
        customer,
        payment_method: method.id,
        off_session: true,
        confirm: true,
        metadata,
        description: "Junction credits (auto top-up)",
      },
      { idempotencyKey: `junction-auto-topup-${organizationId}-${sequence}` },
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError) {
      return { organizationId, outcome: "failed", balance, reason: error.message };
    }
    throw error;
  }
  if (intent.status !== "succeeded") {
    return { organizationId, outcome: "processing", balance, paymentIntentId: intent.id };
  }
  await appendLedgerEntry(db, {
    organizationId,
    kind: "topup",
    amount: centsToNano(intent.amount_received),
    idempotencyKey: `stripe:payment:${intent.id}`,
    description: "Auto top-up",
    metadata: {
      source: "auto_topup",
      paymentIntentId: intent.id,
      amountCents: intent.amount_received,
      requestedNano: metadata.amountNano,
    },
  });
  return { organizationId, outcome: "charged", balance, paymentIntentId: intent.id };
}

/** Organizations with auto top-up configured and a Stripe customer: what the periodic job looks at. */
export async function autoTopUpCandidates(db: Db): Promise<string[]> {
  const rows = await db.organization.findMany({
    where: {
      autoTopUpThreshold: { not: null },
      autoTopUpAmount: { not: null },
      stripeCustomerId: { not: null },
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return rows.map((row) => row.id);
}
