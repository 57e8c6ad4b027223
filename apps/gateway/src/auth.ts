import { API_KEY_PREFIX, hashApiKey, isWellFormedApiKey, JunctionError } from "@junction/core";
import type { Db } from "@junction/db";
import { keyRevocationChannel } from "@junction/queue";
import { LRUCache } from "lru-cache";
import type { RateLimits } from "./limits.js";
import type { RedisEvents } from "./redis-events.js";

/** What a request runs as, resolved from its key. The tenant comes from here, never from the request body. */
export type KeyPrincipal = {
  keyId: string;
  organizationId: string;
  keyHash: string;
  name: string;
  creditLimit: bigint | null;
  limitReset: string;
  policyId: string | null;
  expiresAt: Date | null;
  limits: { key: RateLimits; org: RateLimits };
  org: { byokOnly: boolean; promptLogging: boolean; retentionDays: number };
};

const POSITIVE_TTL_MS = 60_000;
const NEGATIVE_TTL_MS = 5_000;
/**
 * Keys remembered at most (the least recently used go first). Unknown keys are remembered too, briefly, so a flood
 * of well-formed made-up keys costs one database read each at most; without a bound it would also grow the
 * process's memory without end.
 */
const MAX_CACHED_KEYS = 100_000;

/**
 * Keys are looked up by SHA-256 through an in-process cache (no database read per request). Revocations arrive
 * over Redis pub/sub, so a revoked key stops working on every instance within milliseconds; the TTL bounds
 * staleness if a message is ever missed.
 */
export class KeyAuthenticator {
  private readonly cache = new LRUCache<string, { principal: KeyPrincipal | null; expires: number }>({
    max: MAX_CACHED_KEYS,
  });
  private readonly usedKeyIds = new Set<string>();
  /** Revocations heard so far: a key read from the database while one arrived is not cached (it may be stale). */
  private revocations = 0;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly events: RedisEvents,
    private readonly prefix: string,
  ) {}

  async start(): Promise<void> {
    await this.events.on(keyRevocationChannel(this.prefix), (keyHash) => {
      this.revocations++;
      this.cache.delete(keyHash);
    });
    this.flushTimer = setInterval(() => void this.flushLastUsed(), 5_000);
    this.flushTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushLastUsed();
  }

  /**
   * Bearer (OpenAI's SDK, Anthropic's `authToken`) or x-api-key (Anthropic's `apiKey`) → principal; 401 for missing,
   * malformed, unknown, revoked or expired keys. When the two headers differ, the one holding a Junction key is used
   * (Claude Code pointed at Junction with ANTHROPIC_AUTH_TOKEN may still send a leftover ANTHROPIC_API_KEY); two
   * different Junction keys are refused rather than one picked, since which tenant pays must not hang on precedence.
   */
  async authenticate(headers: {
    authorization?: string | undefined;
    "x-api-key"?: string | string[] | undefined;
  }): Promise<KeyPrincipal> {
    const authorization = headers.authorization;
    const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    const headerKey = headers["x-api-key"];
    const apiKey = (Array.isArray(headerKey) ? headerKey[0] : headerKey)?.trim() || undefined;
    let key = bearer ?? apiKey;
    if (bearer && apiKey && bearer !== apiKey) {
      const bearerIsOurs = bearer.startsWith(API_KEY_PREFIX);
      if (bearerIsOurs === apiKey.startsWith(API_KEY_PREFIX)) {
        throw new JunctionError(
          "unauthorized",
          "`Authorization` and `x-api-key` carry different keys: send one key, in either header",
        );
      }
      key = bearerIsOurs ? bearer : apiKey;
    }
    if (!key) {
      throw new JunctionError(
        "unauthorized",
        authorization
          ? "Unsupported Authorization scheme: send `Authorization: Bearer <key>` or `x-api-key`"
          : "Missing API key: send `Authorization: Bearer <key>` or `x-api-key`",
      );
    }
    const keyHash = hashApiKey(key);
    const cached = this.cache.get(keyHash);
    let principal = cached && cached.expires > Date.now() ? cached.principal : undefined;
    if (principal === undefined) {
      // The checksum rejects typos before the database; a key already in the cache has passed it.
      if (!isWellFormedApiKey(key)) throw new JunctionError("unauthorized", "Invalid API key");
      principal = await this.load(keyHash);
    }
    if (!principal) throw new JunctionError("unauthorized", "Invalid or revoked API key");
    if (principal.expiresAt && principal.expiresAt.getTime() <= Date.now()) {
      throw new JunctionError("unauthorized", "API key has expired");
    }
    this.usedKeyIds.add(principal.keyId);
    return principal;
  }

  /** The key's row → principal (null when unknown or revoked), cached either way. */
  private async load(keyHash: string): Promise<KeyPrincipal | null> {
    const revocations = this.revocations;
    const row = await this.db.apiKey.findUnique({
      where: { keyHash },
      include: {
        organization: {
          select: {
            rateLimitRpm: true,
            rateLimitTpm: true,
            rateLimitConcurrency: true,
            byokOnly: true,
            promptLogging: true,
            retentionDays: true,
          },
        },
      },
    });
    const principal =
      row && !row.revokedAt
        ? {
            keyId: row.id,
            organizationId: row.organizationId,
            keyHash,
            name: row.name,
            creditLimit: row.creditLimit,
            limitReset: row.limitReset,
            policyId: row.policyId,
            expiresAt: row.expiresAt,
            limits: {
              key: { rpm: row.rateLimitRpm, tpm: row.rateLimitTpm, concurrency: row.rateLimitConcurrency },
              org: {
                rpm: row.organization.rateLimitRpm,
                tpm: row.organization.rateLimitTpm,
                concurrency: row.organization.rateLimitConcurrency,
              },
            },
            org: {
              byokOnly: row.organization.byokOnly,
              promptLogging: row.organization.promptLogging,
              retentionDays: row.organization.retentionDays,
            },
          }
        : null;
    // A revocation heard during the read may be of this key, read before it was revoked: caching that row would
    // keep the key working here for the whole TTL. This request raced the revocation and goes through; the next
    // reads the database again.
    if (revocations === this.revocations) {
      this.cache.set(keyHash, {
        principal,
        expires: Date.now() + (principal ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS),
      });
    }
    return principal;
  }

  /** lastUsedAt is written in batches, off the request path. */
  private async flushLastUsed(): Promise<void> {
    if (!this.usedKeyIds.size) return;
    const ids = [...this.usedKeyIds];
    this.usedKeyIds.clear();
    await this.db.apiKey
      .updateMany({ where: { id: { in: ids } }, data: { lastUsedAt: new Date() } })
      .catch(() => undefined);
  }
}
