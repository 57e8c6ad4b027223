import type { AddressInfo } from "node:net";
import type { GatewayEnv } from "@junction/config";
import { createLogger } from "@junction/core";
import { createDb, type Db, GenerationStore } from "@junction/db";
import {
  createAdapterRegistry,
  createGuardedTransport,
  createTransport,
  TokenCountMemo,
} from "@junction/providers";
import { announceServedProviders, Producers, SERVED_PROVIDERS_TTL_MS } from "@junction/queue";
import {
  type CatalogSnapshot,
  catalogFingerprint,
  loadCatalog,
  providerSettings,
} from "@junction/routing/catalog";
import { Redis } from "ioredis";
import { createGatewayServer } from "./app.js";
import { KeyAuthenticator } from "./auth.js";
import { ByokKeys } from "./byok.js";
import type { GatewayContext } from "./context.js";
import { CreditGuard } from "./credits.js";
import { CustomEndpoints, withCustomAdapter } from "./custom-endpoints.js";
import { GenerationWriter } from "./generation-writer.js";
import { RateLimiter } from "./limits.js";
import { createMetrics } from "./metrics.js";
import { loadReceiptSigner } from "./receipt-key.js";
import { RedisEvents } from "./redis-events.js";
import { loadScripts } from "./redis-script.js";
import { PromptAffinity } from "./routing/affinity.js";
import { EndpointHealth } from "./routing/health.js";
import { PolicyCache } from "./routing/policies.js";
import { RetryBudget } from "./routing/retry-budget.js";

const CATALOG_REFRESH_MS = 30_000;

export type RunningGateway = {
  url: string;
  context: GatewayContext;
  /** Reloads the catalog now; `onlyIfChanged` (the periodic refresh) skips it when no catalog row changed. */
  refreshCatalog: (onlyIfChanged?: boolean) => Promise<void>;
  /** Resolves when every settled generation is in Postgres and its credit settled (responses don't wait). */
  idle: () => Promise<void>;
  close: () => Promise<void>;
};

/** Builds the gateway's context and starts listening. Used by main.ts, the tests and the benchmark. */
export async function startGateway(
  env: GatewayEnv,
  providerEnv: Record<string, string | undefined>,
  options: { db?: Db; log?: GatewayContext["log"]; random?: () => number } = {},
): Promise<RunningGateway> {
  const db = options.db ?? createDb(env.DATABASE_URL, { max: 20 });
  // Auto-pipelining: commands issued in the same tick share one round trip.
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const events = new RedisEvents(redis.duplicate());
  const prefix = env.JUNCTION_REDIS_PREFIX;
  const auth = new KeyAuthenticator(db, events, prefix);
  const health = new EndpointHealth(redis, events, prefix, {
    failureThreshold: env.GATEWAY_BREAKER_FAILURES,
    cooldownMs: env.GATEWAY_BREAKER_COOLDOWN_MS,
  });
  await Promise.all([auth.start(), health.start()]);
  const localModelNames = env.LOCAL_MODELS.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  let fingerprint: string | undefined;
  let catalog!: CatalogSnapshot; // set by the first refreshCatalog() below
  const refreshCatalog = async (onlyIfChanged = false) => {
    // The fingerprint is read before the rows, so a change made in between is picked up by the next refresh.
    const current = await catalogFingerprint(db);
    if (onlyIfChanged && current === fingerprint) return;
    fingerprint = current;
    catalog = await loadCatalog(db, localModelNames);
  };
  await refreshCatalog();
  // The shared redacting logger: key-shaped strings never reach the output, errors show only name/message/code.
  const logger = createLogger("gateway", { level: env.LOG_LEVEL });
  const log = options.log ?? ((message: string, error?: unknown) => logger.error(message, error));
  const refresher = setInterval(
    () => refreshCatalog(true).catch((error) => log("catalog refresh failed", error)),
    CATALOG_REFRESH_MS,
  );
  refresher.unref();

  const credits = new CreditGuard(db, redis, prefix, env.UPSTREAM_TOTAL_TIMEOUT_MS, log);
  credits.start();
  const transport = createTransport({
    connectMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
    firstByteMs: env.UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
    idleMs: env.UPSTREAM_IDLE_TIMEOUT_MS,
    totalMs: env.UPSTREAM_TOTAL_TIMEOUT_MS,
  });
  const guard = { allowLoopback: env.JUNCTION_UNSAFE_ALLOW_LOOPBACK_ENDPOINTS };
  const customTransport = createGuardedTransport(transport.timeouts, guard);
  const producers = new Producers({ url: env.REDIS_URL, prefix });
  const store = new GenerationStore(env.DATABASE_URL);
  const receipts = loadReceiptSigner(env.JUNCTION_RECEIPT_PRIVATE_KEY, log);
  const writer = new GenerationWriter(store, receipts, producers, log);
  const context: GatewayContext = {
    env,
    providerEnv,
    db,
    redis,
    producers,
    writer,
    auth,
    credits,
    byok: new ByokKeys(db, env.JUNCTION_KEKS),
    customEndpoints: new CustomEndpoints(db, () => context.byok.keks, guard),
    limiter: new RateLimiter(redis, prefix, env.UPSTREAM_TOTAL_TIMEOUT_MS + 60_000),
    adapters: withCustomAdapter(
      createAdapterRegistry(transport, { tokensPerSecond: env.SANDBOX_TOKENS_PER_SECOND }),
      customTransport,
    ),
    metrics: createMetrics(),
    catalog: () => catalog,
    health,
    affinity: new PromptAffinity(redis, prefix),
    policies: new PolicyCache(db),
    retryBudget: new RetryBudget(),
    tokenCounts: new TokenCountMemo(),
    receipts,
    random: options.random ?? Math.random,
    log,
  };
  // The dashboard shows which models can be called here: the providers with credentials, announced in Redis.
  const announce = () => {
    const served = [...catalog.models.values()].flatMap((model) =>
      model.endpoints
        .filter((endpoint) => context.adapters.get(endpoint.adapter))
        .filter((endpoint) => providerSettings(endpoint.providerId, providerEnv).configured)
        .map((endpoint) => endpoint.providerId),
    );
    announceServedProviders(redis, prefix, [...new Set(served)]).catch((error) =>
      log("announcing the served providers failed", error),
    );
  };
  announce();
  const announcer = setInterval(announce, SERVED_PROVIDERS_TTL_MS / 3);
  announcer.unref();
  await loadScripts(redis);
  // A restarted Redis has lost them (a reconnect is "ready" again).
  redis.on(
    "ready",
    () => void loadScripts(redis).catch((error) => log("loading Redis scripts failed", error)),
  );
  const server = createGatewayServer(context);
  await new Promise<void>((resolve) => server.listen(env.GATEWAY_PORT, env.GATEWAY_HOST, resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    context,
    refreshCatalog,
    idle: async () => {
      await writer.idle();
      await credits.returnBlocks();
    },
    close: async () => {
      clearInterval(refresher);
      clearInterval(announcer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await writer.idle();
      await credits.returnBlocks();
      await store.close();
      await auth.stop();
      health.stop();
      credits.stop();
      events.close();
      await context.producers.close();
      redis.disconnect();
      await transport.dispatcher.close();
      await customTransport.dispatcher.close();
      if (!options.db) await db.$disconnect();
    },
  };
}
