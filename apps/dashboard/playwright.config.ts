import { defineConfig, devices } from "@playwright/test";
import { dashboardUrl, E2E, gatewayUrl, stripeUrl } from "./e2e/env";

const isCI = Boolean(process.env.CI);

// Debian's Chromium (apt-get install chromium); never `playwright install` on this network.
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** What every server of the e2e stack shares: the e2e database and Redis prefix. */
const stackEnv = {
  DATABASE_URL: E2E.databaseUrl,
  REDIS_URL: E2E.redisUrl,
  JUNCTION_REDIS_PREFIX: E2E.redisPrefix,
  JUNCTION_MAILBOX: E2E.mailbox,
  JUNCTION_KEKS: E2E.keks,
  NODE_ENV: "production",
};

/**
 * Every server's stdout and stderr go to e2e/logs/<name>.log (truncated at each run), so the last spec
 * (zzz-log-scan.spec.ts) can scan every line the stack wrote during the journey for key-shaped strings.
 */
const logged = (name: string, command: string) =>
  `mkdir -p e2e/logs && { ${command}; } > e2e/logs/${name}.log 2>&1`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  workers: 1,
  // The JSON report feeds the test command's closing "N passed, N failed" line (scripts/test-summary.mjs).
  reporter: [
    ["list"],
    ["json", { outputFile: "../../.junction/playwright.json" }],
    ...(isCI ? [["html", { open: "never" }] as const] : []),
  ],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: dashboardUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: chromiumPath,
          // Without the background-networking flags Chromium floods the closed network with requests.
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  // Started in order, each once the previous answers its health URL. Never reused: the stack must run on the
  // fresh database that the first command prepares (Playwright runs webServers before globalSetup).
  webServer: [
    {
      command: logged(
        "gateway",
        "node e2e/global-setup.mjs && pnpm --silent --filter @junction/gateway start",
      ),
      url: `${gatewayUrl}/health`,
      env: {
        ...stackEnv,
        GATEWAY_PORT: String(E2E.gatewayPort),
        GATEWAY_HOST: "127.0.0.1",
        GATEWAY_PUBLIC_URL: gatewayUrl,
        SANDBOX_TOKENS_PER_SECOND: "5000",
      },
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: logged("worker", "pnpm --silent --filter @junction/worker start"),
      url: `http://127.0.0.1:${E2E.workerHealthPort}/health`,
      env: { ...stackEnv, WORKER_HEALTH_PORT: String(E2E.workerHealthPort) },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // The fake Stripe API and its hosted Checkout page (pays, then signs webhooks to the dashboard).
      command: logged("fake-stripe", "pnpm --silent --dir ../.. exec tsx apps/dashboard/e2e/fake-stripe.ts"),
      url: `${stripeUrl}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // Serves the production build: run `pnpm --filter @junction/dashboard build` first.
      command: logged("dashboard", "pnpm start"),
      url: `${dashboardUrl}/api/health`,
      env: {
        ...stackEnv,
        DASHBOARD_PORT: String(E2E.dashboardPort),
        GATEWAY_URL: gatewayUrl,
        NEXTAUTH_URL: dashboardUrl,
        NEXTAUTH_SECRET: "junction-e2e-secret-not-for-production",
        STRIPE_SECRET_KEY: "sk_test_junction_e2e",
        STRIPE_WEBHOOK_SECRET: E2E.stripeWebhookSecret,
        STRIPE_API_BASE: stripeUrl,
        NEXT_TELEMETRY_DISABLED: "1",
      },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
