import { JunctionError } from "@junction/core";
import type { Db } from "@junction/db";
import type Stripe from "stripe";

/**
 * The organization's Stripe customer, created on first use and stored in Organization.stripeCustomerId. Two
 * concurrent first uses send the same idempotency key, so Stripe creates one customer; the conditional update
 * keeps whichever id was stored first.
 */
export async function ensureStripeCustomer(db: Db, stripe: Stripe, organizationId: string): Promise<string> {
  const organization = await db.organization.findUnique({
    where: { id: organizationId },
    select: { id: true, name: true, stripeCustomerId: true },
  });
  if (!organization) throw new JunctionError("not_found", "Organization not found");
  if (organization.stripeCustomerId) return organization.stripeCustomerId;
  const customer = await stripe.customers.create(
    { name: organization.name, metadata: { organizationId } },
    { idempotencyKey: `junction-customer-${organizationId}` },
  );
  await db.organization.updateMany({
    where: { id: organizationId, stripeCustomerId: null },
    data: { stripeCustomerId: customer.id },
  });
  const stored = await db.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { stripeCustomerId: true },
  });
  return stored.stripeCustomerId ?? customer.id;
}
