import { resolve } from "node:path";
import { type ApiServices, developmentMailbox, smtpMailer } from "@junction/api";
import { createStripeClient } from "@junction/billing";
import { parseKeyEncryptionKeys, usdToNano } from "@junction/core";
import { createDb } from "@junction/db";
import { Redis } from "ioredis";
import { dashboardEnv, gatewayUrl } from "@/lib/env";
import { log } from "@/lib/server/log";

/**
 * One database pool and one Redis connection per server process. Cached on globalThis so that dev-mode hot reloads
 * (which re-evaluate modules) do not open a new pool each time. Nothing connects until the first query.
 */
const globalCache = globalThis as typeof globalThis & { junctionDashboardServices?: ApiServices };

export function services(): ApiServices {
  if (!globalCache.junctionDashboardServices) {
    const env = dashboardEnv();
    globalCache.junctionDashboardServices = {
      db: createDb(env.DATABASE_URL, { max: 10 }),
      redis: new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 }),
      redisPrefix: env.JUNCTION_REDIS_PREFIX,
      starterCreditNano: usdToNano(env.STARTER_CREDIT_USD),
      gatewayUrl: gatewayUrl(),
      dashboardUrl: env.NEXTAUTH_URL.replace(/\/+$/, ""),
      // Built from STRIPE_SECRET_KEY (and STRIPE_API_BASE for a local fake); no network until the first call.
      stripe: env.STRIPE_SECRET_KEY ? createStripeClient(env) : null,
      // Account emails: SMTP when SMTP_URL is set, otherwise the development mailbox (a file plus a log line).
      mailer: env.SMTP_URL
        ? smtpMailer(env.SMTP_URL, env.SMTP_FROM)
        : developmentMailbox(resolve(env.JUNCTION_MAILBOX), (line) => log().info(line)),
      log: log(),
      linkSecret: env.NEXTAUTH_SECRET,
      keks: env.JUNCTION_KEKS ? parseKeyEncryptionKeys(env.JUNCTION_KEKS) : null,
      endpointGuard: { allowLoopback: env.JUNCTION_UNSAFE_ALLOW_LOOPBACK_ENDPOINTS },
    };
  }
  return globalCache.junctionDashboardServices;
}

/**
 * The caller's address as the first proxy saw it. Only as trustworthy as the proxy in front of the dashboard; the
 * sign-in throttle also caps failures per email, so a forged header cannot buy unlimited guesses.
 */
export function clientIp(headers: Headers | Record<string, string | string[] | undefined>): string {
  const read = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return read("x-forwarded-for")?.split(",")[0]?.trim() || read("x-real-ip")?.trim() || "unknown";
}
