import { createStripeClient, type Stripe } from "@junction/billing";
import {
  createTestDatabase,
  type FakeStripe,
  type StripeJson,
  startFakeStripe,
  type TestDatabase,
} from "@junction/testing";

export const WEBHOOK_SECRET = "whsec_junction_test_secret";

export type StripeHarness = {
  database: TestDatabase;
  fake: FakeStripe;
  stripe: Stripe;
  /** A webhook delivery as Stripe sends it: pretty-printed JSON and a real `Stripe-Signature` header. */
  sign(
    event: StripeJson,
    options?: { secret?: string; timestamp?: number },
  ): { payload: string; header: string };
  close(): Promise<void>;
};

/** A database of its own, the fake Stripe API, and the real SDK pointed at it. */
export async function startStripeHarness(): Promise<StripeHarness> {
  const [database, fake] = await Promise.all([createTestDatabase(), startFakeStripe()]);
  const stripe = createStripeClient({ STRIPE_SECRET_KEY: "sk_test_junction", STRIPE_API_BASE: fake.url });
  return {
    database,
    fake,
    stripe,
    sign(event, options = {}) {
      const payload = JSON.stringify(event, null, 2);
      const header = stripe.webhooks.generateTestHeaderString({
        payload,
        secret: options.secret ?? WEBHOOK_SECRET,
        ...(options.timestamp !== undefined && { timestamp: options.timestamp }),
      });
      return { payload, header };
    },
    close: async () => {
      await Promise.all([database.drop(), fake.close()]);
    },
  };
}
