import { JunctionError } from "@junction/core";
import Stripe from "stripe";

export { Stripe };

export type StripeEnv = {
  STRIPE_SECRET_KEY?: string | undefined;
  /** A local fake instead of api.stripe.com, e.g. "http://127.0.0.1:12111" (tests, benchmarks, offline demos). */
  STRIPE_API_BASE?: string | undefined;
};

export function stripeConfigured(env: StripeEnv): boolean {
  return Boolean(env.STRIPE_SECRET_KEY);
}

/**
 * The Stripe client from the environment. Against the real API the SDK retries network failures itself (POSTs
 * carry idempotency keys, so a retry cannot charge twice); against a fake it does not, so tests see every request.
 */
export function createStripeClient(env: StripeEnv): Stripe {
  if (!env.STRIPE_SECRET_KEY) {
    throw new JunctionError("service_unavailable", "Stripe is not configured: set STRIPE_SECRET_KEY");
  }
  if (!env.STRIPE_API_BASE) {
    return new Stripe(env.STRIPE_SECRET_KEY, { maxNetworkRetries: 2, timeout: 20_000, telemetry: false });
  }
  const base = new URL(env.STRIPE_API_BASE);
  const protocol = base.protocol === "http:" ? "http" : "https";
  return new Stripe(env.STRIPE_SECRET_KEY, {
    host: base.hostname,
    port: base.port || (protocol === "http" ? 80 : 443),
    protocol,
    maxNetworkRetries: 0,
    timeout: 10_000,
    telemetry: false,
  });
}
