import type { GatewayEnv } from "@junction/config";
import type { ReceiptSigner } from "@junction/core";
import type { Db } from "@junction/db";
import type { AdapterRegistry, TokenCountMemo } from "@junction/providers";
import type { Producers } from "@junction/queue";
import type { CatalogSnapshot } from "@junction/routing/catalog";
import type { Redis } from "ioredis";
import type { KeyAuthenticator } from "./auth.js";
import type { ByokKeys } from "./byok.js";
import type { CreditGuard } from "./credits.js";
import type { CustomEndpoints } from "./custom-endpoints.js";
import type { GenerationWriter } from "./generation-writer.js";
import type { RateLimiter } from "./limits.js";
import type { GatewayMetrics } from "./metrics.js";
import type { PromptAffinity } from "./routing/affinity.js";
import type { EndpointHealth } from "./routing/health.js";
import type { PolicyCache } from "./routing/policies.js";
import type { RetryBudget } from "./routing/retry-budget.js";

/** Everything a route needs, built once at start (see app.ts). */
export type GatewayContext = {
  env: GatewayEnv;
  /** Raw environment for provider settings (SDK-named variables such as OPENAI_BASE_URL). */
  providerEnv: Record<string, string | undefined>;
  db: Db;
  redis: Redis;
  producers: Producers;
  writer: GenerationWriter;
  auth: KeyAuthenticator;
  credits: CreditGuard;
  byok: ByokKeys;
  /** Organizations' own OpenAI-compatible endpoints (SSRF-guarded), asked only for `custom/…` models. */
  customEndpoints: CustomEndpoints;
  limiter: RateLimiter;
  adapters: AdapterRegistry;
  metrics: GatewayMetrics;
  catalog: () => CatalogSnapshot;
  health: EndpointHealth;
  affinity: PromptAffinity;
  policies: PolicyCache;
  retryBudget: RetryBudget;
  /** Token counts of long prompt texts, per organization (clients resend the same history every turn). */
  tokenCounts: TokenCountMemo;
  receipts: ReceiptSigner;
  /** Randomness for the default weighted routing (injectable so tests are deterministic). */
  random: () => number;
  log: (message: string, error?: unknown) => void;
};
