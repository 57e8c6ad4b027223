import { JunctionError, limitPeriodStart, nanoToUsdString } from "@junction/core";
import { type Db, settledBalance } from "@junction/db";
import { creditKeys } from "@junction/queue";
import type { Redis } from "ioredis";
import type { KeyPrincipal } from "./auth.js";
import { defineScript } from "./redis-script.js";

/**
 * Reserve-then-settle, exact across gateway instances. Redis holds, per organization, the spendable amount
 * (`available` = Postgres's settled balance − live reservations) and, per key with a limit, what remains of it this
 * period. A reservation is one Lua step: check and take. Settling returns the reservation and takes the exact cost.
 * Postgres stays the truth: the counters are (re)built from it when missing (first use, expiry, a Redis flush,
 * `creditsChanged` after a top-up), and reservations of a crashed gateway expire and are returned by a reaper.
 * Amounts are integer nano-USD; Redis INCRBY/DECRBY are exact 64-bit integers.
 */
export type Reservation = {
  id: string;
  organizationId: string;
  keyId: string;
  amount: bigint;
  settled: boolean;
};

const COUNTER_TTL_MS = 60_000;
const RESERVATION_SLACK_MS = 60_000;

// KEYS: available, reserved, reservations hash, key remaining, key reserved, expiry zset.
// ARGV: amount, reservation id, has limit (0/1), expires at (ms), expiry member.
const RESERVE = defineScript(`
local available = redis.call('GET', KEYS[1])
if not available then return {-1, '0'} end
local hasLimit = ARGV[3] == '1'
local remaining = nil
if hasLimit then
  remaining = redis.call('GET', KEYS[4])
  if not remaining then return {-2, '0'} end
end
local amount = tonumber(ARGV[1])
if tonumber(available) < amount then
  local reserved = tonumber(redis.call('GET', KEYS[2]) or '0')
  if tonumber(available) + reserved >= amount then return {2, available} end
  return {1, available}
end
if hasLimit and tonumber(remaining) < amount then return {3, remaining} end
redis.call('DECRBY', KEYS[1], ARGV[1])
redis.call('INCRBY', KEYS[2], ARGV[1])
if hasLimit then
  redis.call('DECRBY', KEYS[4], ARGV[1])
  redis.call('INCRBY', KEYS[5], ARGV[1])
end
redis.call('HSET', KEYS[3], ARGV[2], ARGV[1] .. '|' .. ARGV[3] .. '|' .. KEYS[4] .. '|' .. KEYS[5])
redis.call('ZADD', KEYS[6], ARGV[4], ARGV[5])
return {0, '0'}`);

// KEYS: available, reserved, reservations hash, expiry zset. ARGV: reservation id, cost, expiry member, key counter
// names for an orphan (remaining, reserved) or ''.
const SETTLE = defineScript(`
local entry = redis.call('HGET', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[3])
if entry then
  redis.call('HDEL', KEYS[3], ARGV[1])
  local amount, hasLimit, keyRemaining, keyReserved = string.match(entry, '^(%d+)|(%d)|([^|]*)|([^|]*)$')
  redis.call('DECRBY', KEYS[2], amount)
  if redis.call('EXISTS', KEYS[1]) == 1 then
    redis.call('INCRBY', KEYS[1], amount)
    redis.call('DECRBY', KEYS[1], ARGV[2])
  end
  if hasLimit == '1' then
    redis.call('DECRBY', keyReserved, amount)
    if redis.call('EXISTS', keyRemaining) == 1 then
      redis.call('INCRBY', keyRemaining, amount)
      redis.call('DECRBY', keyRemaining, ARGV[2])
    end
  end
  return 1
end
-- No reservation (Redis was flushed while the request ran): take the actual cost from the rebuilt counters.
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECRBY', KEYS[1], ARGV[2]) end
if ARGV[4] ~= '' and redis.call('EXISTS', ARGV[4]) == 1 then redis.call('DECRBY', ARGV[4], ARGV[2]) end
return 0`);

// KEYS: available, reserved, key remaining (or a dummy), key reserved (or a dummy).
// ARGV: settled balance, ttl ms, key remaining from Postgres ('' when no limit).
const INIT = defineScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('DECRBY', KEYS[1], redis.call('GET', KEYS[2]) or '0')
end
if ARGV[3] ~= '' and redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[2])
  redis.call('DECRBY', KEYS[3], redis.call('GET', KEYS[4]) or '0')
end
return 1`);

export class CreditGuard {
  private reaper: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly reservationTtlMs: number,
    private readonly log: (message: string, error?: unknown) => void = () => undefined,
  ) {}

  start(): void {
    this.reaper = setInterval(
      () => void this.reapExpired().catch((error) => this.log("credit reaper failed", error)),
      10_000,
    );
    this.reaper.unref();
  }

  stop(): void {
    clearInterval(this.reaper);
  }

  /** Ledger balance minus the cost of generations the worker has not debited yet (Postgres, fresh). */
  settledBalance(organizationId: string): Promise<bigint> {
    return settledBalance(this.db, organizationId);
  }

  /** What the key has spent in its limit's current period (Postgres, fresh). */
  async keyPeriodSpend(principal: Pick<KeyPrincipal, "keyId" | "limitReset">): Promise<bigint> {
    const since = limitPeriodStart(principal.limitReset) ?? new Date(0);
    const rows = await this.db.$queryRaw<{ spent: bigint }[]>`
      SELECT COALESCE(SUM("cost"), 0) AS spent FROM "Generation"
      WHERE "apiKeyId" = ${principal.keyId} AND "createdAt" >= ${since}`;
    return BigInt(rows[0]?.spent ?? 0n);
  }

  private keysFor(principal: KeyPrincipal) {
    const org = creditKeys(this.prefix, principal.organizationId);
    const period = limitPeriodStart(principal.limitReset)?.getTime() ?? 0;
    const key = `${this.prefix}:credit:key:${principal.keyId}:${period}`;
    return { ...org, keyRemaining: `${key}:remaining`, keyReserved: `${key}:reserved` };
  }

  /** Takes `amount` (the request's worst case) or throws 402 with `metadata.limit_source`. */
  async reserve(principal: KeyPrincipal, amount: bigint, reservationId: string): Promise<Reservation> {
    const keys = this.keysFor(principal);
    const hasLimit = principal.creditLimit !== null;
    const expiresAt = Date.now() + this.reservationTtlMs + RESERVATION_SLACK_MS;
    for (let attempt = 0; attempt < 3; attempt++) {
      const [outcome, value] = (await RESERVE(
        this.redis,
        [keys.available, keys.reserved, keys.reservations, keys.keyRemaining, keys.keyReserved, keys.expiry],
        [
          amount.toString(),
          reservationId,
          hasLimit ? "1" : "0",
          expiresAt,
          `${principal.organizationId}|${reservationId}`,
        ],
      )) as [number, string];
      if (outcome === 0) {
        return {
          id: reservationId,
          organizationId: principal.organizationId,
          keyId: principal.keyId,
          amount,
          settled: false,
        };
      }
      if (outcome < 0) {
        await this.initCounters(principal, keys);
        continue;
      }
      const source = outcome === 1 ? "credits" : outcome === 2 ? "in_flight" : "key_limit";
      throw insufficient(source, BigInt(value), amount);
    }
    throw new JunctionError("service_unavailable", "Credit check could not complete; retry the request");
  }

  /** Returns the reservation and takes the exact cost; call after the generation row is written. */
  async settle(reservation: Reservation, cost: bigint): Promise<void> {
    if (reservation.settled) return;
    reservation.settled = true;
    const keys = creditKeys(this.prefix, reservation.organizationId);
    await SETTLE(
      this.redis,
      [keys.available, keys.reserved, keys.reservations, keys.expiry],
      [reservation.id, cost.toString(), `${reservation.organizationId}|${reservation.id}`, ""],
    );
  }

  private async initCounters(
    principal: KeyPrincipal,
    keys: ReturnType<CreditGuard["keysFor"]>,
  ): Promise<void> {
    const [balance, spent] = await Promise.all([
      this.settledBalance(principal.organizationId),
      principal.creditLimit === null ? Promise.resolve(0n) : this.keyPeriodSpend(principal),
    ]);
    const keyRemaining = principal.creditLimit === null ? "" : (principal.creditLimit - spent).toString();
    await INIT(
      this.redis,
      [keys.available, keys.reserved, keys.keyRemaining, keys.keyReserved],
      [balance.toString(), COUNTER_TTL_MS, keyRemaining],
    );
  }

  /**
   * Reservations whose gateway died: settled with the cost of their generation if it was recorded, else returned
   * whole. Any instance may run this; the settle script is idempotent per reservation.
   */
  async reapExpired(now = Date.now()): Promise<number> {
    const members = await this.redis.zrangebyscore(
      creditKeys(this.prefix, "").expiry,
      0,
      now,
      "LIMIT",
      0,
      100,
    );
    for (const member of members) {
      const [organizationId = "", id = ""] = member.split("|");
      const generation = await this.db.generation.findUnique({ where: { id }, select: { cost: true } });
      await this.settle(
        { id, organizationId, keyId: "", amount: 0n, settled: false },
        generation?.cost ?? 0n,
      );
    }
    return members.length;
  }
}

function insufficient(
  source: "credits" | "key_limit" | "in_flight",
  available: bigint,
  needed: bigint,
): JunctionError {
  const what = {
    credits: "Insufficient credits",
    key_limit: "This API key's credit limit is reached",
    in_flight: "Credits are held by requests in flight",
  }[source];
  const shown = available < 0n ? 0n : available;
  return new JunctionError(
    "payment_required",
    `${what}: this request may cost up to $${nanoToUsdString(needed)} and $${nanoToUsdString(shown)} is available. Add credits or lower max_tokens.`,
    {
      metadata: {
        limit_source: source,
        available_usd: nanoToUsdString(shown),
        required_usd: nanoToUsdString(needed),
      },
    },
  );
}
