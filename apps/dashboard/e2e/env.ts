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
} as const;

export const dashboardUrl = `http://127.0.0.1:${E2E.dashboardPort}`;
export const gatewayUrl = `http://127.0.0.1:${E2E.gatewayPort}`;
