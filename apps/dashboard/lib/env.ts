import { type DashboardEnv, loadDashboardEnv } from "@junction/config";

/**
 * The dashboard's validated settings (@junction/config owns process.env). Read lazily at request time, never at
 * build time, so one build serves any deployment; a wrong value fails the first request with a clear message.
 */
let cached: DashboardEnv | undefined;

export function dashboardEnv(): DashboardEnv {
  cached ??= loadDashboardEnv();
  return cached;
}

/** Public base URL of the Junction gateway, without a trailing slash. */
export function gatewayUrl(): string {
  return dashboardEnv().GATEWAY_URL.replace(/\/+$/, "");
}
