import { fileURLToPath } from "node:url";

/**
 * Where the e2e stack runs: its own database, Redis prefix and ports, so it never touches a developer's data or
 * another test run. Shared by playwright.config.ts (to start the servers) and the specs (to call them).
 */
export const E2E = {
  dashboardPort: Number(process.env.DASHBOARD_E2E_PORT ?? 3100),
  gatewayPort: Number(process.env.GATEWAY_E2E_PORT ?? 4300),
  workerHealthPort: Number(process.env.WORKER_E2E_HEALTH_PORT ?? 4301),
  databaseUrl: process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/junction_e2e",
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  redisPrefix: process.env.E2E_REDIS_PREFIX ?? "e2e_dashboard",
  /** The fake Stripe (API + hosted Checkout page) that the dashboard's top-up talks to. */
  stripePort: Number(process.env.STRIPE_E2E_PORT ?? 4302),
  stripeWebhookSecret: "whsec_junction_e2e",
  /** The development mailbox the dashboard writes account emails to (emptied by global-setup). */
  mailbox: fileURLToPath(new URL("../../../.junction/e2e-mailbox.log", import.meta.url)),
  /** A fixed test key-encryption key, so Settings can store a BYOK key. */
  keks: `1:${Buffer.alloc(32, 7).toString("base64")}`,
} as const;

export const dashboardUrl = `http://127.0.0.1:${E2E.dashboardPort}`;
export const gatewayUrl = `http://127.0.0.1:${E2E.gatewayPort}`;
export const stripeUrl = `http://127.0.0.1:${E2E.stripePort}`;
