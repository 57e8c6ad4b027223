import { isId, JunctionError, limitPeriodStart, nanoToUsdString, newId } from "@junction/core";
import { type Db, settledBalance } from "@junction/db";
import { creditKeys, keyCreditKeys } from "@junction/queue";
import type { Redis } from "ioredis";
import type { KeyPrincipal } from "./auth.js";
import { defineScript } from "./redis-script.js";

/**
 * Reserve-then-settle, exact across gateway instances. Redis holds, per organization, the spendable amount
 * (`available` = Postgres's settled balance − live reservations) and, per key with a limit, what remains of it this
 * period. A reservation is one Lua step: check and take. Settling returns the reservation and takes the exact cost.
 * Postgres stays the truth: the counters are (re)built from it when missing (first use, expiry, a Redis flush,
 * `creditsChanged` after a top-up), refreshed from it in the background while in use (so a busy organization's
 * requests never wait for that read), and reservations of a crashed gateway expire and are returned by a reaper.
 * Amounts are integer nano-USD; Redis INCRBY/DECRBY are exact 64-bit integers.
 *
 * Credit blocks keep Redis off the request path while a balance is far from exhausted: a key's first request reserves
 * a block worth `BLOCK_FACTOR` of its worst cases, and the requests after it take their worst case from that block in
 * memory. Costs leave the block (and Redis's `reserved`) once their rows are durable, one call per block per turn of
 * the event loop; the rest goes back when the block closes (at most `BLOCK_OPEN_MS` after it opened, once its
 * requests are done). A block is granted only while it is at most 1/`BLOCK_HEADROOM` of what is available; near the
 * end of the credit (or of a key's limit) every request is reserved exactly, so "credit for N serves exactly N"
 * still holds. A block whose gateway died is dropped by the reaper and the counters are rebuilt from Postgres.
 */
export type Reservation = {
  id: string;
  organizationId: string;
  keyId: string;
  amount: bigint;
  settled: boolean;
  /** Set when the worst case was taken from this instance's credit block instead of from Redis. */
  block?: CreditBlock;
};

const COUNTER_TTL_MS = 60_000;
/** An organization's counters are refreshed from Postgres in the background this long after this instance last did. */
const COUNTER_REFRESH_MS = 30_000;
const RESERVATION_SLACK_MS = 60_000;
const BLOCK_FACTOR = 32n;
const BLOCK_HEADROOM = 4;
const BLOCK_OPEN_MS = 1_000;

/** An instance's share of a key's credit: reserved in Redis as one reservation, handed out in memory. */
export class CreditBlock {
  /** Worst cases of the requests holding part of the block now. */
  held = 0n;
  live = 0;
  /** Costs settled in memory and not yet taken out of the block in Redis. */
  unsent = 0n;
  closing = false;
  flushScheduled = false;

  constructor(
    readonly id: string,
    readonly slot: string,
    readonly organizationId: string,
    readonly keyId: string,
    /** What the block holds in Redis once `unsent` has been sent: its amount minus every cost settled so far. */
    public remaining: bigint,
  ) {}

  get free(): bigint {
    return this.remaining - this.held;
  }
}

// KEYS: available, reserved, reservations hash, key remaining, key reserved, expiry zset, settling.
// ARGV: amount, reservation id, has limit (0/1), expires at (ms), expiry member, then for a block (or ''):
// block amount, block id, block expiry member, block expires at (ms).
// Returns {0, '0'} reserved exactly, {10, '0'} block reserved, {-1|-2, '0'} counters missing, {1|2|3|4, value}
// refused: 1 the organization's credit, 2 its requests in flight, 3 the key's limit, 4 the key's requests in flight.
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
local id, member, expiresAt, outcome = ARGV[2], ARGV[5], ARGV[4], 0
local take = ARGV[1]
if ARGV[6] ~= '' then
  local wanted = tonumber(ARGV[6]) * ${BLOCK_HEADROOM}
  if tonumber(available) >= wanted and (not hasLimit or tonumber(remaining) >= wanted) then
    take, id, member, expiresAt, outcome, amount = ARGV[6], ARGV[7], ARGV[8], ARGV[9], 10, tonumber(ARGV[6])
  end
end
if tonumber(available) < amount then
  -- What live requests hold may come back; what ended ones hold until settled is spent.
  local returning = tonumber(redis.call('GET', KEYS[2]) or '0') - tonumber(redis.call('GET', KEYS[7]) or '0')
  if tonumber(available) + returning >= amount then return {2, available} end
  return {1, available}
end
if hasLimit and tonumber(remaining) < amount then
  -- The same for the key: its live requests' holds may come back (the organization's settling ones are spent).
  local returning = tonumber(redis.call('GET', KEYS[5]) or '0') - tonumber(redis.call('GET', KEYS[7]) or '0')
  if tonumber(remaining) + returning >= amount then return {4, remaining} end
  return {3, remaining}
end
redis.call('DECRBY', KEYS[1], take)
redis.call('INCRBY', KEYS[2], take)
if hasLimit then
  redis.call('DECRBY', KEYS[4], take)
  redis.call('INCRBY', KEYS[5], take)
end
redis.call('HSET', KEYS[3], id, take .. '|' .. ARGV[3] .. '|' .. KEYS[4] .. '|' .. KEYS[5])
redis.call('ZADD', KEYS[6], expiresAt, member)
return {outcome, '0'}`);

/**
 * Lua: `amount` of a reservation leaves 'reserved' and goes back to the organization's spendable counter (KEYS[1]) and,
 * with a limit, the key's (the names in the reservation's entry: `hasLimit`, `keyRemaining`, `keyReserved`).
 */
const giveBack = (amount: string) => `
redis.call('DECRBY', KEYS[2], ${amount})
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], ${amount}) end
if hasLimit == '1' then
  redis.call('DECRBY', keyReserved, ${amount})
  if redis.call('EXISTS', keyRemaining) == 1 then redis.call('INCRBY', keyRemaining, ${amount}) end
end`;

// KEYS: available, reserved, reservations hash, expiry zset, spent. ARGV: block id, costs to take out of it, what the
// block holds after that, close (0/1), expiry member. Costs leave 'reserved' (they are spent); closing returns the rest.
const BLOCK_SETTLE = defineScript(`
redis.call('INCRBY', KEYS[5], ARGV[2])
local entry = redis.call('HGET', KEYS[3], ARGV[1])
if not entry then
  -- Redis lost the block (flushed): take the costs from the rebuilt counter, as SETTLE does.
  if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECRBY', KEYS[1], ARGV[2]) end
  redis.call('ZREM', KEYS[4], ARGV[5])
  return 0
end
local hasLimit, keyRemaining, keyReserved = string.match(entry, '^-?%d+|(%d)|([^|]*)|([^|]*)$')
redis.call('DECRBY', KEYS[2], ARGV[2])
if hasLimit == '1' then redis.call('DECRBY', keyReserved, ARGV[2]) end
if ARGV[4] == '0' then
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[3] .. '|' .. hasLimit .. '|' .. keyRemaining .. '|' .. keyReserved)
  return 1
end
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[5])
${giveBack("ARGV[3]")}
return 1`);

// KEYS: available, reserved, reservations hash, expiry zset. ARGV: block id, expiry member.
// A block whose gateway died: what it spent is in Postgres but not known here, so the counters are dropped and
// rebuilt from Postgres on next use.
const BLOCK_DROP = defineScript(`
local entry = redis.call('HGET', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[2])
if not entry then return 0 end
local amount, hasLimit, keyRemaining, keyReserved = string.match(entry, '^(-?%d+)|(%d)|([^|]*)|([^|]*)$')
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('DECRBY', KEYS[2], amount)
redis.call('DEL', KEYS[1])
if hasLimit == '1' then
  redis.call('DECRBY', keyReserved, amount)
  redis.call('DEL', keyRemaining)
end
return 1`);

// KEYS: available, reserved, reservations hash, settling. ARGV: reservation id, the part it gives back, what it keeps.
// The part given back returns to the organization's and the key's spendable counters; what it keeps is counted as
// settling (spent, not coming back: RESERVE does not answer "in flight" for it), and the entry is marked `|s`.
const SHRINK = defineScript(`
local entry = redis.call('HGET', KEYS[3], ARGV[1])
if not entry then return 0 end
local hasLimit, keyRemaining, keyReserved = string.match(entry, '^%d+|(%d)|([^|]*)|([^|]*)$')
if not hasLimit then return 0 end -- not an unshrunk exact reservation: leave it to SETTLE
${giveBack("ARGV[2]")}
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3] .. '|' .. hasLimit .. '|' .. keyRemaining .. '|' .. keyReserved .. '|s')
redis.call('INCRBY', KEYS[4], ARGV[3])
return 1`);

// KEYS: available, reserved, reservations hash, expiry zset, spent, settling. ARGV: reservation id, cost, expiry member, key
// counter names for an orphan (remaining, reserved) or ''.
const SETTLE = defineScript(`
redis.call('INCRBY', KEYS[5], ARGV[2])
local entry = redis.call('HGET', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[3])
if entry then
  redis.call('HDEL', KEYS[3], ARGV[1])
  local amount, hasLimit, keyRemaining, keyReserved, shrunk =
    string.match(entry, '^(%d+)|(%d)|([^|]*)|([^|]*)|?(s?)$')
  redis.call('DECRBY', KEYS[2], amount)
  if shrunk == 's' then redis.call('DECRBY', KEYS[6], amount) end
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

// KEYS: available, reserved, spent, changes. ARGV: settled balance (Postgres), spent and changes as read before it,
// ttl ms. Sets available = balance − reserved − what was spent since the balance was read (a cost settled in that
// window may be in the balance already: then it is taken twice until the next refresh, never missed). A top-up or
// adjustment (creditsChanged) during the window leaves the counter to the next request's rebuild.
const REFRESH = defineScript(`
if (redis.call('GET', KEYS[4]) or '0') ~= ARGV[3] then return 0 end
local spent = redis.call('GET', KEYS[3])
if not spent or tonumber(spent) < tonumber(ARGV[2]) then return 0 end
-- Integer commands only: amounts pass 2^53 nano-USD, where Lua's doubles are no longer exact.
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
redis.call('DECRBY', KEYS[1], redis.call('GET', KEYS[2]) or '0')
redis.call('DECRBY', KEYS[1], spent)
redis.call('INCRBY', KEYS[1], ARGV[2])
return 1`);

export class CreditGuard {
  private reaper: NodeJS.Timeout | undefined;

  private readonly blocks = new Map<string, CreditBlock>();
  private readonly opening = new Map<string, Promise<void>>();
  /** Slots whose last block request was declined (credit running low): reserved exactly for a while. */
  private readonly exactUntil = new Map<string, number>();
  private readonly flushes = new Set<Promise<unknown>>();
  /** How long a block takes new requests (tests lengthen it so that a stalled machine cannot close one early). */
  blockOpenMs = BLOCK_OPEN_MS;
  /** When this instance last built or refreshed each organization's counter (tests shorten `refreshAfterMs`). */
  private readonly synced = new Map<string, number>();
  refreshAfterMs = COUNTER_REFRESH_MS;

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
    const period = limitPeriodStart(principal.limitReset)?.getTime() ?? 0;
    return {
      ...creditKeys(this.prefix, principal.organizationId),
      ...keyCreditKeys(this.prefix, principal.keyId, period),
    };
  }

  /** Takes `amount` (the request's worst case) or throws 402 with `metadata.limit_source`. */
  async reserve(principal: KeyPrincipal, amount: bigint, reservationId: string): Promise<Reservation> {
    this.maybeRefresh(principal.organizationId);
    const slot = this.slotFor(principal);
    for (;;) {
      const fromBlock = this.takeFromBlock(slot, amount, reservationId);
      if (fromBlock) return fromBlock;
      const opening = this.opening.get(slot);
      if (!opening) break;
      await opening; // another request of this key is asking Redis for a block: share its answer
    }
    if ((this.exactUntil.get(slot) ?? 0) > Date.now()) {
      // Without a block in the question, Redis can only answer with an exact reservation (or refuse).
      return this.reserveInRedis(principal, amount, reservationId) as Promise<Reservation>;
    }
    this.exactUntil.delete(slot);
    let done!: () => void;
    this.opening.set(
      slot,
      new Promise<void>((resolve) => {
        done = resolve;
      }),
    );
    try {
      const block = { id: newId("creditBlock"), amount: amount * BLOCK_FACTOR };
      const reserved = await this.reserveInRedis(principal, amount, reservationId, block);
      if (reserved !== "block") {
        this.exactUntil.set(slot, Date.now() + this.blockOpenMs);
        return reserved;
      }
      this.openBlock(
        new CreditBlock(block.id, slot, principal.organizationId, principal.keyId, block.amount),
      );
      return this.takeFromBlock(slot, amount, reservationId) as Reservation;
    } finally {
      this.opening.delete(slot);
      done();
    }
  }

  private async reserveInRedis(
    principal: KeyPrincipal,
    amount: bigint,
    reservationId: string,
    block?: { id: string; amount: bigint },
  ): Promise<Reservation | "block"> {
    const keys = this.keysFor(principal);
    const hasLimit = principal.creditLimit !== null;
    const expiresAt = Date.now() + this.reservationTtlMs + RESERVATION_SLACK_MS;
    for (let attempt = 0; attempt < 3; attempt++) {
      const [outcome, value] = (await RESERVE(
        this.redis,
        [
          keys.available,
          keys.reserved,
          keys.reservations,
          keys.keyRemaining,
          keys.keyReserved,
          keys.expiry,
          keys.settling,
        ],
        [
          amount.toString(),
          reservationId,
          hasLimit ? "1" : "0",
          expiresAt,
          `${principal.organizationId}|${reservationId}`,
          ...(block
            ? [
                block.amount.toString(),
                block.id,
                `${principal.organizationId}|${block.id}`,
                expiresAt + this.blockOpenMs,
              ]
            : ["", "", "", ""]),
        ],
      )) as [number, string];
      if (outcome === 10) return "block";
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
      const source = outcome === 1 ? "credits" : outcome === 3 ? "key_limit" : "in_flight";
      throw insufficient(source, BigInt(value), amount);
    }
    throw new JunctionError("service_unavailable", "Credit check could not complete; retry the request");
  }

  /** The block a key's requests share on this instance; a key's limit period starts a new one. */
  private slotFor(principal: KeyPrincipal): string {
    return `${principal.keyId}:${limitPeriodStart(principal.limitReset)?.getTime() ?? 0}`;
  }

  private takeFromBlock(slot: string, amount: bigint, reservationId: string): Reservation | undefined {
    const block = this.blocks.get(slot);
    if (!block) return undefined;
    if (block.free < amount) {
      this.closeBlock(block);
      return undefined;
    }
    block.held += amount;
    block.live++;
    return {
      id: reservationId,
      organizationId: block.organizationId,
      keyId: block.keyId,
      amount,
      settled: false,
      block,
    };
  }

  private openBlock(block: CreditBlock): void {
    const previous = this.blocks.get(block.slot);
    if (previous) this.closeBlock(previous);
    this.blocks.set(block.slot, block);
    setTimeout(() => this.closeBlock(block), this.blockOpenMs).unref();
  }

  /** No new requests; the rest goes back to Redis once the block's requests are done. */
  private closeBlock(block: CreditBlock): void {
    if (this.blocks.get(block.slot) === block) this.blocks.delete(block.slot);
    if (block.closing) return;
    block.closing = true;
    if (block.live === 0) this.scheduleFlush(block);
  }

  /** Costs of one turn of the event loop leave a block in one Redis call (and the block closes, when it may). */
  private scheduleFlush(block: CreditBlock): void {
    if (block.flushScheduled) return;
    block.flushScheduled = true;
    setImmediate(() => {
      block.flushScheduled = false;
      const close = block.closing && block.live === 0;
      const cost = block.unsent;
      block.unsent = 0n;
      const keys = creditKeys(this.prefix, block.organizationId);
      const sent = BLOCK_SETTLE(
        this.redis,
        [keys.available, keys.reserved, keys.reservations, keys.expiry, keys.spent],
        [
          block.id,
          cost.toString(),
          block.remaining.toString(),
          close ? "1" : "0",
          `${block.organizationId}|${block.id}`,
        ],
      )
        .catch((error) => this.log(`credit block ${block.id} settle failed`, error))
        .finally(() => this.flushes.delete(sent));
      this.flushes.add(sent);
    });
  }

  /**
   * The request has ended and its cost is known: only the cost stays reserved until its row is durable (`settle`);
   * the rest of the worst case is spendable again at once, so a client's next request is not refused for credit the
   * last one did not use. In memory for a block; one Redis call for an exact reservation (credit running low).
   */
  releaseUnused(reservation: Reservation, cost: bigint): Promise<unknown> | undefined {
    if (reservation.settled || cost >= reservation.amount) return undefined;
    const unused = reservation.amount - cost;
    reservation.amount = cost;
    if (reservation.block) {
      reservation.block.held -= unused;
      return undefined;
    }
    const keys = creditKeys(this.prefix, reservation.organizationId);
    return SHRINK(
      this.redis,
      [keys.available, keys.reserved, keys.reservations, keys.settling],
      [reservation.id, unused.toString(), cost.toString()],
    );
  }

  /** Returns the reservation and takes the exact cost; call after the generation row is written. */
  async settle(reservation: Reservation, cost: bigint): Promise<void> {
    if (reservation.settled) return;
    reservation.settled = true;
    const block = reservation.block;
    if (block) {
      block.held -= reservation.amount;
      block.live--;
      block.remaining -= cost;
      block.unsent += cost;
      if (cost > 0n || (block.closing && block.live === 0)) this.scheduleFlush(block);
      return;
    }
    const keys = creditKeys(this.prefix, reservation.organizationId);
    await SETTLE(
      this.redis,
      [keys.available, keys.reserved, keys.reservations, keys.expiry, keys.spent, keys.settling],
      [reservation.id, cost.toString(), `${reservation.organizationId}|${reservation.id}`, ""],
    );
  }

  /** Closes every block once its requests are done and waits until Redis has everything (shutdown, tests). */
  async returnBlocks(): Promise<void> {
    for (const block of [...this.blocks.values()]) this.closeBlock(block);
    await new Promise((resolve) => setImmediate(resolve));
    while (this.flushes.size) {
      await Promise.allSettled([...this.flushes]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Keeps a busy organization's counter from expiring: a rebuild on expiry reads Postgres on the request path, and
   * that read (the un-ingested generations) took 190–270 ms after heavy churn, while the key's requests waited.
   * One refresh at a time per organization; a failed one leaves the expiry and the rebuild as the fallback.
   */
  private maybeRefresh(organizationId: string): void {
    const now = Date.now();
    const synced = this.synced.get(organizationId);
    if (synced !== undefined && now - synced < this.refreshAfterMs) return;
    this.synced.set(organizationId, now);
    if (synced === undefined) return; // first sight on this instance: counting starts now
    const refreshed = this.refresh(organizationId)
      .catch((error) => this.log(`credit refresh for ${organizationId} failed`, error))
      .finally(() => this.flushes.delete(refreshed));
    this.flushes.add(refreshed);
  }

  /**
   * Rebuilds the organization's spendable amount from Postgres while it is live (see REFRESH): never more than the
   * truth. Returns false when a top-up or a Redis flush in the meantime left it to the next request's rebuild.
   */
  async refresh(organizationId: string): Promise<boolean> {
    const keys = creditKeys(this.prefix, organizationId);
    const read = await this.redis.multi().incrby(keys.spent, 0).get(keys.changes).exec();
    const spent = String(read?.[0]?.[1] ?? "");
    const changes = String(read?.[1]?.[1] ?? "0");
    if (!spent) return false;
    const balance = await this.settledBalance(organizationId);
    const done = await REFRESH(
      this.redis,
      [keys.available, keys.reserved, keys.spent, keys.changes],
      [balance.toString(), spent, changes, COUNTER_TTL_MS],
    );
    return done === 1;
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
    this.synced.set(principal.organizationId, Date.now());
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
      if (isId("creditBlock", id)) {
        const keys = creditKeys(this.prefix, organizationId);
        await BLOCK_DROP(
          this.redis,
          [keys.available, keys.reserved, keys.reservations, keys.expiry],
          [id, member],
        );
        continue;
      }
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
  const shown = available < 0n ? 0n : available;
  const left = `$${nanoToUsdString(shown)}`;
  const what = {
    credits: `Insufficient credits: the organization has ${left} left`,
    key_limit: `This API key's credit limit leaves ${left}`,
    in_flight: `Credits are held by requests in flight: ${left} is free now`,
  }[source];
  const remedy = {
    credits: "Add credits or lower max_tokens.",
    key_limit: "Raise the key's limit or lower max_tokens.",
    in_flight: "Retry when they finish, or lower max_tokens.",
  }[source];
  return new JunctionError(
    "payment_required",
    `${what}, and this request may cost up to $${nanoToUsdString(needed)} (its prompt plus max_tokens, or the ` +
      `model's maximum output, at the dearest serving endpoint's prices: reserved before it runs, the unused part ` +
      `returned after). ${remedy}`,
    {
      metadata: {
        limit_source: source,
        available_usd: nanoToUsdString(shown),
        required_usd: nanoToUsdString(needed),
      },
    },
  );
}
