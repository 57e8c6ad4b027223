import {
  apiKeyDisplayPrefix,
  generateApiKey,
  hashApiKey,
  JunctionError,
  limitPeriodStart,
  newId,
  usdToNano,
} from "@junction/core";
import type { ApiKey } from "@junction/db";
import { keyCreditKeys, publishKeyRevoked } from "@junction/queue";
import { z } from "zod";
import { writeAudit } from "../audit";
import { type KeySpend, spendByKey, spendInWindow } from "../queries/key-spend";
import { hasRole } from "../roles";
import { createApiKeyInput, updateApiKeyInput } from "../schemas";
import type { Tenant } from "../tenancy";
import { createTRPCRouter, memberProcedure, viewerProcedure } from "../trpc";

export type ApiKeyStatus = "active" | "expired" | "revoked";

function statusOf(key: Pick<ApiKey, "revokedAt" | "expiresAt">, now: Date): ApiKeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  return "active";
}

type Viewer = { userId: string; role: Tenant["role"] };

/** Admins revoke any key; members only the keys they created. */
function canRevoke(key: Pick<ApiKey, "createdById">, viewer: Viewer): boolean {
  return (
    hasRole(viewer.role, "admin") || (hasRole(viewer.role, "member") && key.createdById === viewer.userId)
  );
}

function present(
  key: ApiKey & { createdBy: { name: string | null; email: string } | null },
  spend: KeySpend | undefined,
  now: Date,
  viewer: Viewer,
) {
  return {
    id: key.id,
    ...auditView(key),
    createdAt: key.createdAt,
    createdBy: key.createdBy ? (key.createdBy.name ?? key.createdBy.email) : null,
    lastUsedAt: key.lastUsedAt,
    status: statusOf(key, now),
    /** Spent in the current limit window (all-time when the limit never resets, or there is no limit). */
    spentInWindow: spendInWindow(spend, key.limitReset),
    spentTotal: spend?.total ?? 0n,
    canRevoke: !key.revokedAt && canRevoke(key, viewer),
    canEdit: !key.revokedAt && canRevoke(key, viewer),
  };
}

/** What the audit log records of a key (never its hash or the key itself); lists show it too. */
function auditView(key: ApiKey) {
  return {
    name: key.name,
    displayPrefix: key.displayPrefix,
    creditLimit: key.creditLimit,
    limitReset: key.limitReset,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    rateLimitRpm: key.rateLimitRpm,
    rateLimitTpm: key.rateLimitTpm,
    rateLimitConcurrency: key.rateLimitConcurrency,
  };
}

const UPDATABLE = [
  "name",
  "creditLimit",
  "limitReset",
  "expiresAt",
  "rateLimitRpm",
  "rateLimitTpm",
  "rateLimitConcurrency",
] as const;

export type ApiKeyView = ReturnType<typeof present>;

const idInput = z.object({ id: z.string().min(1).max(64) });

export const apiKeysRouter = createTRPCRouter({
  list: viewerProcedure.query(async ({ ctx }) => {
    const now = new Date();
    const [keys, spend] = await Promise.all([
      ctx.db.apiKey.findMany({
        where: { organizationId: ctx.tenant.organizationId },
        orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
        include: { createdBy: { select: { name: true, email: true } } },
      }),
      spendByKey(ctx.db, ctx.tenant.organizationId, now),
    ]);
    return keys.map((key) => present(key, spend.get(key.id), now, ctx.tenant));
  }),

  /** Creates a key and returns it in full this once; only its SHA-256 is stored. */
  create: memberProcedure.input(createApiKeyInput).mutation(async ({ ctx, input }) => {
    const now = new Date();
    if (input.expiresAt && input.expiresAt <= now) {
      throw new JunctionError("bad_request", "The expiry must be in the future", { param: "expiresAt" });
    }
    const key = generateApiKey();
    const created = await ctx.db.apiKey.create({
      data: {
        id: newId("apiKey"),
        organizationId: ctx.tenant.organizationId,
        createdById: ctx.tenant.userId,
        name: input.name,
        keyHash: hashApiKey(key),
        displayPrefix: apiKeyDisplayPrefix(key),
        creditLimit: input.creditLimitUsd === undefined ? null : usdToNano(input.creditLimitUsd),
        limitReset: input.creditLimitUsd === undefined ? "never" : input.limitReset,
        expiresAt: input.expiresAt ?? null,
        rateLimitRpm: input.rateLimitRpm ?? null,
        rateLimitTpm: input.rateLimitTpm ?? null,
        rateLimitConcurrency: input.rateLimitConcurrency ?? null,
      },
      include: { createdBy: { select: { name: true, email: true } } },
    });
    await writeAudit(ctx.db, {
      organizationId: ctx.tenant.organizationId,
      actorUserId: ctx.tenant.userId,
      action: "api_key.create",
      targetType: "api_key",
      targetId: created.id,
      before: null,
      after: auditView(created),
      ip: ctx.ip,
    });
    return { key, apiKey: present(created, undefined, now, ctx.tenant) };
  }),

  /**
   * Changes a key's name, credit limit, expiry or rate limits (admins: any key; members: the keys they created).
   * Strict input: the organization, creator, role and credit are not fields. Every gateway drops its cached copy
   * at once (the same announcement as a revocation), so new limits apply to the next request.
   */
  update: memberProcedure.input(updateApiKeyInput).mutation(async ({ ctx, input }) => {
    const key = await ctx.db.apiKey.findFirst({
      where: { id: input.id, organizationId: ctx.tenant.organizationId },
    });
    if (!key) throw new JunctionError("not_found", "API key not found");
    if (!canRevoke(key, ctx.tenant)) {
      throw new JunctionError("forbidden", "Members can change only the keys they created");
    }
    if (key.revokedAt) throw new JunctionError("conflict", "A revoked key cannot be changed");
    if (input.expiresAt && input.expiresAt <= new Date()) {
      throw new JunctionError("bad_request", "The expiry must be in the future", { param: "expiresAt" });
    }
    const requested = {
      name: input.name,
      creditLimit:
        input.creditLimitUsd === undefined
          ? undefined
          : input.creditLimitUsd === null
            ? null
            : usdToNano(input.creditLimitUsd),
      limitReset: input.limitReset,
      expiresAt: input.expiresAt,
      rateLimitRpm: input.rateLimitRpm,
      rateLimitTpm: input.rateLimitTpm,
      rateLimitConcurrency: input.rateLimitConcurrency,
    };
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const field of UPDATABLE) {
      const value = requested[field];
      const current = key[field];
      const same = value instanceof Date && current instanceof Date ? +value === +current : value === current;
      if (value === undefined || same) continue;
      before[field] = current;
      after[field] = value;
    }
    if (Object.keys(after).length === 0) return { id: key.id, changed: [] as string[] };
    await ctx.db.$transaction(async (tx) => {
      await tx.apiKey.update({ where: { id: key.id }, data: after });
      await writeAudit(tx, {
        organizationId: ctx.tenant.organizationId,
        actorUserId: ctx.tenant.userId,
        action: "api_key.update",
        targetType: "api_key",
        targetId: key.id,
        before,
        after,
        ip: ctx.ip,
      });
    });
    if ("creditLimit" in after || "limitReset" in after) {
      // The gateways' counter of what remains of the old limit: rebuilt from Postgres under the new one on the next
      // request (live holds are subtracted again then), instead of running on for up to its minute of life.
      const period = limitPeriodStart(key.limitReset)?.getTime() ?? 0;
      await ctx.redis.del(keyCreditKeys(ctx.redisPrefix, key.id, period).keyRemaining).catch(() => undefined);
    }
    await publishKeyRevoked(ctx.redis, ctx.redisPrefix, key.keyHash).catch(() => undefined);
    return { id: key.id, changed: Object.keys(after) };
  }),

  /**
   * Revokes a key (admins: any key; members: the keys they created) and announces it to every gateway over Redis,
   * so it stops working at once. Revoking twice is harmless.
   */
  revoke: memberProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    const key = await ctx.db.apiKey.findFirst({
      where: { id: input.id, organizationId: ctx.tenant.organizationId },
    });
    if (!key) throw new JunctionError("not_found", "API key not found");
    if (!canRevoke(key, ctx.tenant)) {
      throw new JunctionError("forbidden", "Members can revoke only the keys they created");
    }
    const revokedAt = key.revokedAt ?? new Date();
    if (!key.revokedAt) {
      await ctx.db.apiKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt } });
      await writeAudit(ctx.db, {
        organizationId: ctx.tenant.organizationId,
        actorUserId: ctx.tenant.userId,
        action: "api_key.revoke",
        targetType: "api_key",
        targetId: key.id,
        before: { revokedAt: null },
        after: { revokedAt },
        ip: ctx.ip,
      });
    }
    // The database is the truth; if the announcement is lost, gateways still drop the key when their cache expires.
    const propagated = await publishKeyRevoked(ctx.redis, ctx.redisPrefix, key.keyHash).then(
      () => true,
      () => false,
    );
    return { id: key.id, revokedAt, propagated };
  }),
});
