import { JunctionError } from "@junction/core";
import type { Redis } from "ioredis";
import { defineScript } from "./redis-script.js";

/**
 * Rate limits per organization and per key — requests/minute, tokens/minute, concurrent requests — checked and
 * taken in one Lua step, so they hold exactly across gateway instances. Minutes are fixed windows; tokens are
 * taken at the request's estimate (prompt + max_tokens) and corrected to the actual count when it settles.
 */
export type RateLimits = { rpm: number | null; tpm: number | null; concurrency: number | null };

export type RateLease = {
  keys: string[];
  limits: number[];
  tokens: number;
  headers: Record<string, string>;
  released: boolean;
};

const WINDOW_MS = 60_000;
const KINDS = ["requests", "tokens", "concurrency"] as const;

// KEYS: org req, org tok, org conc, key req, key tok, key conc. ARGV: six limits (-1 = none), tokens, window ttl ms,
// concurrency ttl ms. Returns {0, used...} or {index of the exceeded limit, used, pttl}.
const TAKE = defineScript(`
local tokens = tonumber(ARGV[7])
local adds = {1, tokens, 1, 1, tokens, 1}
for i = 1, 6 do
  local limit = tonumber(ARGV[i])
  if limit >= 0 then
    local used = tonumber(redis.call('GET', KEYS[i]) or '0')
    if used + adds[i] > limit then return {i, used, redis.call('PTTL', KEYS[i])} end
  end
end
local used = {0}
for i = 1, 6 do
  if tonumber(ARGV[i]) >= 0 then
    local value = redis.call('INCRBY', KEYS[i], adds[i])
    if i % 3 == 0 then redis.call('PEXPIRE', KEYS[i], ARGV[9])
    elseif redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[8]) end
    used[i + 1] = value
  else
    used[i + 1] = 0
  end
end
return used`);

// KEYS: org tok, org conc, key tok, key conc. ARGV: token correction (estimate - actual), has org, has key flags.
const RELEASE = defineScript(`
for i = 1, 4 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    if i % 2 == 1 then redis.call('DECRBY', KEYS[i], ARGV[1]) else redis.call('DECR', KEYS[i]) end
  end
end
return 1`);

export class RateLimitError extends JunctionError {
  constructor(
    message: string,
    readonly headers: Record<string, string>,
    metadata: Record<string, unknown>,
  ) {
    super("rate_limited", message, { metadata });
  }
}

const seconds = (ms: number) => `${Math.max(1, Math.ceil(ms / 1000))}s`;

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly concurrencyTtlMs: number,
  ) {}

  async take(
    scopes: { organizationId: string; org: RateLimits; keyId: string; key: RateLimits },
    tokens: number,
  ): Promise<RateLease | undefined> {
    const limits = [
      scopes.org.rpm,
      scopes.org.tpm,
      scopes.org.concurrency,
      scopes.key.rpm,
      scopes.key.tpm,
      scopes.key.concurrency,
    ].map((limit) => limit ?? -1);
    if (limits.every((limit) => limit < 0)) return undefined;
    const window = Math.floor(Date.now() / WINDOW_MS);
    const base = [`${this.prefix}:rl:org:${scopes.organizationId}`, `${this.prefix}:rl:key:${scopes.keyId}`];
    const keys = base.flatMap((scope) => [
      `${scope}:req:${window}`,
      `${scope}:tok:${window}`,
      `${scope}:conc`,
    ]);
    const result = (await TAKE(this.redis, keys, [
      ...limits,
      tokens,
      WINDOW_MS + 1_000,
      this.concurrencyTtlMs,
    ])) as number[];
    const resetMs = WINDOW_MS - (Date.now() % WINDOW_MS);
    if (result[0] !== 0) {
      const index = (result[0] as number) - 1;
      const scope = index < 3 ? "organization" : "key";
      const kind = KINDS[index % 3] as (typeof KINDS)[number];
      const retryMs = kind === "concurrency" ? 1_000 : resetMs;
      const headers = {
        "retry-after": String(Math.ceil(retryMs / 1000)),
        ...this.headers(limits, [0, 0, 0, 0, 0, 0], resetMs, index),
      };
      throw new RateLimitError(
        `Rate limit reached: the ${scope}'s ${kind === "concurrency" ? "concurrent requests" : `${kind} per minute`} limit is ${limits[index]}${kind === "tokens" ? ` and this request needs ${tokens}` : ""}. Retry after ${Math.ceil(retryMs / 1000)}s.`,
        headers,
        { scope, limit: kind, limit_value: limits[index], retry_after_seconds: Math.ceil(retryMs / 1000) },
      );
    }
    return { keys, limits, tokens, headers: this.headers(limits, result.slice(1), resetMs), released: false };
  }

  /** Frees the concurrency slot and corrects the tokens taken to the actual count. */
  async release(lease: RateLease | undefined, actualTokens: number): Promise<void> {
    if (!lease || lease.released) return;
    lease.released = true;
    const [, orgTok, orgConc, , keyTok, keyConc] = lease.keys;
    const active = (index: number, key: string | undefined) =>
      (lease.limits[index] ?? -1) >= 0 ? (key as string) : `${this.prefix}:rl:none`;
    await RELEASE(
      this.redis,
      [active(1, orgTok), active(2, orgConc), active(4, keyTok), active(5, keyConc)],
      [lease.tokens - actualTokens],
    );
  }

  /** OpenAI's x-ratelimit-* headers for the tightest configured scope (the key's when it has limits). */
  private headers(
    limits: number[],
    used: number[],
    resetMs: number,
    failed?: number,
  ): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [offset, kind] of [
      [0, "requests"],
      [1, "tokens"],
    ] as const) {
      const index = (limits[3 + offset] ?? -1) >= 0 ? 3 + offset : offset;
      const limit = limits[index] ?? -1;
      if (limit < 0) continue;
      const remaining = failed === index ? 0 : Math.max(0, limit - (used[index] ?? 0));
      headers[`x-ratelimit-limit-${kind}`] = String(limit);
      headers[`x-ratelimit-remaining-${kind}`] = String(remaining);
      headers[`x-ratelimit-reset-${kind}`] = seconds(resetMs);
    }
    return headers;
  }
}
