import { JunctionError, nanoToUsdString } from "@junction/core";
import { type Db, settledBalance } from "@junction/db";
import type { KeyPrincipal } from "./auth.js";

export type Reservation = { organizationId: string; keyId: string; amount: bigint; released: boolean };

const BALANCE_TTL_MS = 1_000;

/** Start of the key limit's current period (UTC), or null when the limit never resets. */
export function limitPeriodStart(reset: string, now = new Date()): Date | null {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (reset === "daily") return start;
  if (reset === "weekly") {
    start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7)); // weeks start on Monday
    return start;
  }
  if (reset === "monthly") return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return null;
}

/**
 * Reserve-then-settle against the organization's settled balance (ledger minus generations not yet ingested) and
 * the key's credit limit. Within one process the check and the reservation happen without an await between them,
 * so concurrent requests cannot both spend the same credit.
 */
export class CreditGuard {
  private readonly reservedByOrg = new Map<string, bigint>();
  private readonly reservedByKey = new Map<string, bigint>();
  private readonly balances = new Map<string, { value: bigint; at: number }>();
  private readonly keySpend = new Map<string, { value: bigint; at: number }>();

  constructor(private readonly db: Db) {}

  /** Ledger balance minus the cost of generations the worker has not debited yet. */
  async settledBalance(organizationId: string, fresh = false): Promise<bigint> {
    const cached = this.balances.get(organizationId);
    if (!fresh && cached && Date.now() - cached.at < BALANCE_TTL_MS) return cached.value;
    const value = await settledBalance(this.db, organizationId);
    this.balances.set(organizationId, { value, at: Date.now() });
    return value;
  }

  /** What the key has spent in its limit's current period. */
  async keyPeriodSpend(
    principal: Pick<KeyPrincipal, "keyId" | "limitReset">,
    fresh = false,
  ): Promise<bigint> {
    const cached = this.keySpend.get(principal.keyId);
    if (!fresh && cached && Date.now() - cached.at < BALANCE_TTL_MS) return cached.value;
    const since = limitPeriodStart(principal.limitReset) ?? new Date(0);
    const rows = await this.db.$queryRaw<{ spent: bigint }[]>`
      SELECT COALESCE(SUM("cost"), 0) AS spent FROM "Generation"
      WHERE "apiKeyId" = ${principal.keyId} AND "createdAt" >= ${since}`;
    const value = BigInt(rows[0]?.spent ?? 0n);
    this.keySpend.set(principal.keyId, { value, at: Date.now() });
    return value;
  }

  async reserve(principal: KeyPrincipal, amount: bigint): Promise<Reservation> {
    const [balance, spent] = await Promise.all([
      this.settledBalance(principal.organizationId),
      principal.creditLimit === null ? Promise.resolve(0n) : this.keyPeriodSpend(principal),
    ]);
    // From here to the end: no await, so the check and the reservation are one step for this process.
    const orgReserved = this.reservedByOrg.get(principal.organizationId) ?? 0n;
    if (balance < amount) throw insufficient("credits", balance, amount);
    if (balance - orgReserved < amount) throw insufficient("in_flight", balance - orgReserved, amount);
    if (principal.creditLimit !== null) {
      const keyReserved = this.reservedByKey.get(principal.keyId) ?? 0n;
      if (principal.creditLimit - spent - keyReserved < amount) {
        throw insufficient("key_limit", principal.creditLimit - spent - keyReserved, amount);
      }
      this.reservedByKey.set(principal.keyId, keyReserved + amount);
    }
    this.reservedByOrg.set(principal.organizationId, orgReserved + amount);
    return { organizationId: principal.organizationId, keyId: principal.keyId, amount, released: false };
  }

  /** Releases the reservation once the exact cost is recorded; balances are re-read on the next request. */
  release(reservation: Reservation, hasLimit: boolean): void {
    if (reservation.released) return;
    reservation.released = true;
    subtract(this.reservedByOrg, reservation.organizationId, reservation.amount);
    if (hasLimit) subtract(this.reservedByKey, reservation.keyId, reservation.amount);
    this.balances.delete(reservation.organizationId);
    this.keySpend.delete(reservation.keyId);
  }
}

function subtract(map: Map<string, bigint>, key: string, amount: bigint): void {
  const next = (map.get(key) ?? 0n) - amount;
  if (next <= 0n) map.delete(key);
  else map.set(key, next);
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
  return new JunctionError(
    "payment_required",
    `${what}: this request may cost up to $${nanoToUsdString(needed)} and $${nanoToUsdString(available < 0n ? 0n : available)} is available. Add credits or lower max_tokens.`,
    {
      metadata: {
        limit_source: source,
        available_usd: nanoToUsdString(available),
        required_usd: nanoToUsdString(needed),
      },
    },
  );
}
