// The e2e stack's Stripe: the fake API plus its hosted Checkout page, which pays and delivers signed webhooks to
// the dashboard. Started by playwright.config.ts as a web server; stops on SIGTERM/SIGINT.
import { startFakeStripe } from "@junction/testing";
import { dashboardUrl, E2E } from "./env";

const fake = await startFakeStripe({
  port: E2E.stripePort,
  hostedCheckout: {
    webhookUrl: `${dashboardUrl}/api/stripe/webhook`,
    webhookSecret: E2E.stripeWebhookSecret,
  },
});
console.log(`[e2e] fake Stripe on ${fake.url}`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => void fake.close().then(() => process.exit(0)));
}
