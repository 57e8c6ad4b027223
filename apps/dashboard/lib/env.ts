/**
 * Server-side settings of the dashboard. Read at request time (callers are dynamic routes), so one build serves any
 * deployment. TODO: move into @junction/config once it has a dashboard module (it should own process.env).
 */
const DEFAULT_GATEWAY_URL = "http://localhost:4000";

/** Public base URL of the Junction gateway, without a trailing slash. */
export function gatewayUrl(): string {
  const raw = process.env.GATEWAY_URL?.trim();
  return (raw ? raw : DEFAULT_GATEWAY_URL).replace(/\/+$/, "");
}
