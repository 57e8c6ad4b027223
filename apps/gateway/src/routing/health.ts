import type { EndpointStats } from "@junction/routing/router";
import type { Redis } from "ioredis";
import type { RedisEvents } from "../redis-events.js";
import { defineScript } from "../redis-script.js";

/**
 * Endpoint health shared by every gateway instance through Redis: a circuit breaker per endpoint (opens after
 * consecutive failures, or for a provider's Retry-After; after the cool-down it is half-open: one request, across
 * all instances, probes it while the others go elsewhere, and the probe's result closes or re-opens it) and moving
 * averages of latency and throughput used by `sort`. Decisions read a local copy kept current by pub/sub, so
 * routing never waits on Redis; only claiming a half-open endpoint's probe does.
 */
export type HealthOptions = { failureThreshold: number; cooldownMs: number; failureWindowMs: number };

/** A channel message that is not about an endpoint: `caughtUp`'s marker. */
const SYNC = "*sync";

const DEFAULTS: HealthOptions = { failureThreshold: 5, cooldownMs: 30_000, failureWindowMs: 60_000 };

// KEYS: failures counter, open marker, open index. ARGV: threshold, window ms, cooldown ms, channel, endpoint id, now ms.
const RECORD_FAILURE = defineScript(`
local failures = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if failures >= tonumber(ARGV[1]) then
  local openUntil = tonumber(ARGV[6]) + tonumber(ARGV[3])
  redis.call('SET', KEYS[2], openUntil, 'PX', ARGV[3])
  redis.call('HSET', KEYS[3], ARGV[5], openUntil)
  redis.call('PUBLISH', ARGV[4], ARGV[5] .. ' ' .. openUntil)
end
return failures`);

// EWMA update in one step so concurrent instances don't lose samples. KEYS: stats hash. ARGV: field, sample, weight.
const RECORD_SAMPLE = defineScript(`
local current = redis.call('HGET', KEYS[1], ARGV[1])
local value = tonumber(ARGV[2])
if current then value = tonumber(current) * (1 - tonumber(ARGV[3])) + value * tonumber(ARGV[3]) end
redis.call('HSET', KEYS[1], ARGV[1], tostring(value))
return tostring(value)`);

export class EndpointHealth {
  /** Open breakers, and half-open ones (their time passed, no success yet): until a success or a probe closes them. */
  private readonly openUntil = new Map<string, number>();
  /** Half-open endpoints whose probe this instance holds. */
  private readonly probing = new Set<string>();
  /** Waiting for their marker to come back through pub/sub (`caughtUp`). */
  private readonly synced = new Map<string, () => void>();
  private readonly stats = new Map<string, EndpointStats>();
  /** Endpoints this instance saw fail recently: only their successes need to reset the shared counter. */
  private readonly failing = new Set<string>();
  private readonly samples = new Map<string, { latency: number[]; throughput: number[] }>();
  private readonly options: HealthOptions;
  private refresher: NodeJS.Timeout | undefined;
  private flusher: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly events: RedisEvents,
    private readonly prefix: string,
    options: Partial<HealthOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  private get channel(): string {
    return `${this.prefix}:health:breaker`;
  }

  async start(): Promise<void> {
    await this.events.on(this.channel, (message) => {
      const [endpointId, until] = message.split(" ");
      if (!endpointId) return;
      if (endpointId === SYNC) {
        this.synced.get(until ?? "")?.();
        return;
      }
      const value = Number(until);
      if (value > 0) this.openUntil.set(endpointId, value);
      else this.openUntil.delete(endpointId);
    });
    await this.refresh();
    this.refresher = setInterval(() => void this.refresh().catch(() => undefined), 5_000);
    this.refresher.unref();
    this.flusher = setInterval(() => void this.flushSamples().catch(() => undefined), 1_000);
    this.flusher.unref();
  }

  stop(): void {
    clearInterval(this.refresher);
    clearInterval(this.flusher);
  }

  /** Re-reads open breakers and stats from Redis: the safety net for a missed pub/sub message or a new instance. */
  async refresh(): Promise<void> {
    const [open, latency, throughput] = await Promise.all([
      this.redis.hgetall(`${this.prefix}:health:open-index`),
      this.redis.hgetall(`${this.prefix}:health:latency`),
      this.redis.hgetall(`${this.prefix}:health:throughput`),
    ]);
    this.openUntil.clear();
    for (const [endpointId, until] of Object.entries(open)) this.openUntil.set(endpointId, Number(until));
    for (const [endpointId, value] of Object.entries(latency)) {
      const entry = this.stats.get(endpointId) ?? { latencyMs: 0, tokensPerSecond: 0, samples: 0 };
      this.stats.set(endpointId, { ...entry, latencyMs: Number(value), samples: Math.max(1, entry.samples) });
    }
    for (const [endpointId, value] of Object.entries(throughput)) {
      const entry = this.stats.get(endpointId) ?? { latencyMs: 0, tokensPerSecond: 0, samples: 0 };
      this.stats.set(endpointId, {
        ...entry,
        tokensPerSecond: Number(value),
        samples: Math.max(1, entry.samples),
      });
    }
  }

  /** Open (and until when), or null when the endpoint may be tried (closed or half-open). */
  openUntilFor(endpointId: string, now = Date.now()): number | null {
    const until = this.openUntil.get(endpointId);
    return until !== undefined && until > now ? until : null;
  }

  /** The breaker's cool-down has passed, and no request has succeeded on the endpoint since. */
  halfOpen(endpointId: string, now = Date.now()): boolean {
    const until = this.openUntil.get(endpointId);
    return until !== undefined && until <= now;
  }

  /**
   * Whether a request may call a half-open endpoint now: only the one request (on any instance) that claims the
   * probe. The claim lasts a cool-down at most, should its holder vanish. (A closed endpoint needs no claim: callers
   * ask `halfOpen` first, which costs no Redis round trip.)
   */
  async claimProbe(endpointId: string): Promise<boolean> {
    const claimed = await this.redis.set(this.probeKey(endpointId), "1", "PX", this.options.cooldownMs, "NX");
    if (claimed !== "OK") return false;
    this.probing.add(endpointId);
    return true;
  }

  /** The probe ended saying nothing about the endpoint (the client left, the request was refused): another may try. */
  async releaseProbe(endpointId: string): Promise<void> {
    if (this.probing.delete(endpointId)) await this.redis.del(this.probeKey(endpointId));
  }

  private probeKey(endpointId: string): string {
    return `${this.prefix}:health:probe:${endpointId}`;
  }

  statsFor(endpointId: string): EndpointStats | undefined {
    return this.stats.get(endpointId);
  }

  async recordFailure(endpointId: string, retryAfterSeconds?: number): Promise<void> {
    const now = Date.now();
    if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
      // The provider said when to come back: open for exactly that long.
      await this.open(endpointId, now + retryAfterSeconds * 1000);
      return;
    }
    if (this.halfOpen(endpointId, now)) {
      // The probe failed: open again for a whole cool-down, however few failures the shared counter still holds.
      await this.open(endpointId, now + this.options.cooldownMs);
      return;
    }
    this.failing.add(endpointId);
    await RECORD_FAILURE(
      this.redis,
      [
        `${this.prefix}:health:failures:${endpointId}`,
        `${this.prefix}:health:open:${endpointId}`,
        `${this.prefix}:health:open-index`,
      ],
      [
        this.options.failureThreshold,
        this.options.failureWindowMs,
        this.options.cooldownMs,
        this.channel,
        endpointId,
        now,
      ],
    );
  }

  /**
   * A success closes the endpoint's breaker if it was failing; samples are averaged in memory and written to Redis
   * once a second, so a healthy request costs no Redis round trip.
   */
  async recordSuccess(
    endpointId: string,
    sample?: { latencyMs: number; tokensPerSecond?: number },
  ): Promise<void> {
    if (sample) {
      const pending = this.samples.get(endpointId) ?? { latency: [], throughput: [] };
      pending.latency.push(sample.latencyMs);
      if (sample.tokensPerSecond !== undefined && Number.isFinite(sample.tokensPerSecond))
        pending.throughput.push(sample.tokensPerSecond);
      this.samples.set(endpointId, pending);
    }
    if (!this.failing.has(endpointId) && !this.openUntil.has(endpointId)) return;
    this.failing.delete(endpointId);
    this.probing.delete(endpointId);
    const wasOpen = this.openUntil.delete(endpointId);
    const close = this.redis
      .multi()
      .del(`${this.prefix}:health:failures:${endpointId}`, this.probeKey(endpointId));
    if (wasOpen)
      close.hdel(`${this.prefix}:health:open-index`, endpointId).publish(this.channel, `${endpointId} 0`);
    await close.exec();
  }

  /** Writes the averaged samples of the last second into the shared moving averages. */
  private async flushSamples(): Promise<void> {
    const batch = [...this.samples.entries()];
    this.samples.clear();
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    for (const [endpointId, { latency, throughput }] of batch) {
      if (latency.length)
        await RECORD_SAMPLE(this.redis, [`${this.prefix}:health:latency`], [endpointId, mean(latency), 0.2]);
      if (throughput.length) {
        await RECORD_SAMPLE(
          this.redis,
          [`${this.prefix}:health:throughput`],
          [endpointId, mean(throughput), 0.2],
        );
      }
    }
  }

  /** Closes every breaker and forgets the stats (an operator's reset; tests start from a clean slate with it). */
  async resetAll(): Promise<void> {
    const keys = await this.redis.keys(`${this.prefix}:health:*`);
    if (keys.length) await this.redis.del(...keys);
    for (const endpointId of this.openUntil.keys()) await this.redis.publish(this.channel, `${endpointId} 0`);
    await this.caughtUp();
    this.openUntil.clear();
    this.probing.clear();
    this.stats.clear();
  }

  /**
   * Resolves once this instance has received every message published on the channel before the call (pub/sub keeps
   * their order): a close published by a reset must not arrive after the next breaker opens, and close that one.
   */
  private async caughtUp(): Promise<void> {
    const token = String(Math.random());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      this.synced.set(token, () => {
        clearTimeout(timer);
        resolve();
      });
      this.redis.publish(this.channel, `${SYNC} ${token}`).catch(resolve);
    });
    this.synced.delete(token);
  }

  private async open(endpointId: string, until: number): Promise<void> {
    this.openUntil.set(endpointId, until);
    // A probe still claimed must not outlive the new cool-down (a Retry-After may be shorter than a claim).
    this.probing.delete(endpointId);
    // One transaction, queued at once: a reset called after this cannot land between its writes.
    await this.redis
      .multi()
      .del(this.probeKey(endpointId))
      .set(`${this.prefix}:health:open:${endpointId}`, String(until), "PX", Math.max(1, until - Date.now()))
      .hset(`${this.prefix}:health:open-index`, endpointId, String(until))
      .publish(this.channel, `${endpointId} ${until}`)
      .exec();
  }
}
