import { JunctionError } from "@junction/core";
import type { Db } from "@junction/db";
import type Stripe from "stripe";
import { DEFAULT_TOP_UP_LIMITS, parseTopUpAmount, type TopUpLimits } from "./amounts.js";
import { ensureStripeCustomer } from "./customers.js";

export type TopUpCheckoutInput = {
  organizationId: string;
  amountUsd: string;
  successUrl: string;
  cancelUrl: string;
};

/** Metadata on every Junction payment: the webhook credits from it, never from anything the browser sent. */
export type PaymentMetadata = {
  organizationId: string;
  amountNano: string;
  purpose: "topup" | "auto_topup";
};

function checkUrl(value: string, param: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "https:" || url.protocol === "http:") return value;
  } catch {}
  throw new JunctionError("bad_request", "Expected an http(s) URL", { param });
}

/**
 * Starts a Stripe Checkout payment for a credit top-up. The organization id and the nano-USD amount travel in
 * the session's and the PaymentIntent's metadata, so whichever of `checkout.session.completed` and
 * `payment_intent.succeeded` arrives first credits the payment (once: both use the PaymentIntent's id). The card is
 * saved for off-session use so auto top-up can charge it later.
 */
export async function createTopUpCheckout(
  db: Db,
  stripe: Stripe,
  input: TopUpCheckoutInput,
  limits: TopUpLimits = DEFAULT_TOP_UP_LIMITS,
): Promise<{ id: string; url: string; amountNano: bigint }> {
  const { nano, cents } = parseTopUpAmount(input.amountUsd, limits);
  const successUrl = checkUrl(input.successUrl, "successUrl");
  const cancelUrl = checkUrl(input.cancelUrl, "cancelUrl");
  const customer = await ensureStripeCustomer(db, stripe, input.organizationId);
  const metadata: PaymentMetadata = {
    organizationId: input.organizationId,
    amountNano: nano.toString(),
    purpose: "topup",
  };
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    customer,
    client_reference_id: input.organizationId,
    success_url: successUrl,
    cancel_url: cancelUrl,
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: "usd",
          unit_amount: cents,
          product_data: { name: "Junction credits", description: "Prepaid credit for the Junction API" },
        },
      },
    ],
    metadata,
    payment_intent_data: { metadata, setup_future_usage: "off_session" },
  });
  if (!session.url) throw new JunctionError("upstream_error", "Stripe did not return a checkout URL");
  return { id: session.id, url: session.url, amountNano: nano };
}
