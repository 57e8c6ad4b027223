import { JunctionError, policyRulesSchema } from "@junction/core";
import { type Db, type Prisma, savePolicyVersion } from "@junction/db";
import { z } from "zod";
import { writeAudit } from "../audit";
import { hasRole } from "../roles";
import { organizationSettingsInput, policyNameSchema } from "../schemas";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../trpc";

/** How long the gateway may keep serving an organization's previous settings (its cache TTL). */
export const GATEWAY_SETTINGS_CACHE_SECONDS = 60;

const SETTINGS_FIELDS = [
  "name",
  "promptLogging",
  "retentionDays",
  "byokOnly",
  "rateLimitRpm",
  "rateLimitTpm",
  "rateLimitConcurrency",
] as const;
type SettingsField = (typeof SETTINGS_FIELDS)[number];

const settingsSelect = {
  name: true,
  promptLogging: true,
  retentionDays: true,
  byokOnly: true,
  rateLimitRpm: true,
  rateLimitTpm: true,
  rateLimitConcurrency: true,
  activePolicyId: true,
} as const satisfies Prisma.OrganizationSelect;

type SettingsValue = string | number | boolean | null;

/** The organization's policies (not archived), each with its latest version. */
async function listPolicies(db: Db, organizationId: string) {
  return db.policy.findMany({
    where: { organizationId, archivedAt: null },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    include: { versions: { orderBy: { version: "desc" }, take: 1 } },
  });
}

const policyIdSchema = z.string().min(1).max(64);

/**
 * Organization settings (admins change them, everyone reads) and routing policies (admins save immutable versions
 * and choose the active one). Every change is audited with the before/after of what changed.
 */
export const settingsRouter = createTRPCRouter({
  organization: viewerProcedure.query(async ({ ctx }) => {
    const organization = await ctx.db.organization.findUniqueOrThrow({
      where: { id: ctx.tenant.organizationId },
      select: settingsSelect,
    });
    return {
      ...organization,
      canEdit: hasRole(ctx.tenant.role, "admin"),
      cacheSeconds: GATEWAY_SETTINGS_CACHE_SECONDS,
    };
  }),

  updateOrganization: adminProcedure.input(organizationSettingsInput).mutation(async ({ ctx, input }) => {
    const organizationId = ctx.tenant.organizationId;
    return ctx.db.$transaction(async (tx) => {
      const before = await tx.organization.findUniqueOrThrow({
        where: { id: organizationId },
        select: settingsSelect,
      });
      const changed: Partial<Record<SettingsField, SettingsValue>> = {};
      const previous: Partial<Record<SettingsField, SettingsValue>> = {};
      for (const field of SETTINGS_FIELDS) {
        const value = input[field];
        if (value === undefined || value === before[field]) continue;
        changed[field] = value;
        previous[field] = before[field];
      }
      if (Object.keys(changed).length === 0) return { changed: [] as SettingsField[] };
      // Only fields of the strict input schema, already validated.
      await tx.organization.update({
        where: { id: organizationId },
        data: changed as Prisma.OrganizationUpdateInput,
      });
      await writeAudit(tx, {
        organizationId,
        actorUserId: ctx.tenant.userId,
        action: "organization.update_settings",
        targetType: "organization",
        targetId: organizationId,
        metadata: { before: previous, after: changed },
        ip: ctx.ip,
      });
      return { changed: Object.keys(changed) as SettingsField[] };
    });
  }),

  policies: viewerProcedure.query(async ({ ctx }) => {
    const [policies, organization] = await Promise.all([
      listPolicies(ctx.db, ctx.tenant.organizationId),
      ctx.db.organization.findUniqueOrThrow({
        where: { id: ctx.tenant.organizationId },
        select: { activePolicyId: true },
      }),
    ]);
    return policies.map((policy) => {
      const latest = policy.versions[0] ?? null;
      return {
        id: policy.id,
        name: policy.name,
        createdAt: policy.createdAt,
        active: policy.id === organization.activePolicyId,
        latest: latest && {
          version: latest.version,
          hashPrefix: latest.hash.slice(0, 12),
          rules: policyRulesSchema.catch({}).parse(latest.rules),
          createdAt: latest.createdAt,
        },
      };
    });
  }),

  /** Creates the policy (by name) or appends a version; the same rules as the latest version add nothing. */
  savePolicy: adminProcedure
    .input(z.strictObject({ name: policyNameSchema, rules: policyRulesSchema }))
    .mutation(async ({ ctx, input }) => {
      const organizationId = ctx.tenant.organizationId;
      const existing = await ctx.db.policy.findUnique({
        where: { organizationId_name: { organizationId, name: input.name } },
        include: { versions: { orderBy: { version: "desc" }, take: 1 } },
      });
      const saved = await savePolicyVersion(ctx.db, {
        organizationId,
        name: input.name,
        rules: input.rules,
        createdById: ctx.tenant.userId,
      });
      const previousVersion = existing?.versions[0]?.version ?? null;
      const created = saved.version !== previousVersion;
      if (created) {
        await writeAudit(ctx.db, {
          organizationId,
          actorUserId: ctx.tenant.userId,
          action: existing ? "policy.update" : "policy.create",
          targetType: "policy",
          targetId: saved.policyId,
          metadata: {
            name: input.name,
            before: previousVersion === null ? null : { version: previousVersion },
            after: { version: saved.version, hash: saved.hash },
          },
          ip: ctx.ip,
        });
      }
      return {
        policyId: saved.policyId,
        version: saved.version,
        hashPrefix: saved.hash.slice(0, 12),
        created,
      };
    }),

  /** Makes one of the organization's policies the active one (null: no organization-wide policy). */
  setActivePolicy: adminProcedure
    .input(z.strictObject({ policyId: policyIdSchema.nullable() }))
    .mutation(async ({ ctx, input }) => {
      const organizationId = ctx.tenant.organizationId;
      if (input.policyId !== null) {
        const policy = await ctx.db.policy.findFirst({
          where: { id: input.policyId, organizationId, archivedAt: null, versions: { some: {} } },
          select: { id: true },
        });
        if (!policy) throw new JunctionError("not_found", "Policy not found");
      }
      return ctx.db.$transaction(async (tx) => {
        const before = await tx.organization.findUniqueOrThrow({
          where: { id: organizationId },
          select: { activePolicyId: true },
        });
        if (before.activePolicyId !== input.policyId) {
          await tx.organization.update({
            where: { id: organizationId },
            data: { activePolicyId: input.policyId },
          });
          await writeAudit(tx, {
            organizationId,
            actorUserId: ctx.tenant.userId,
            action: "organization.set_active_policy",
            targetType: "organization",
            targetId: organizationId,
            metadata: {
              before: { activePolicyId: before.activePolicyId },
              after: { activePolicyId: input.policyId },
            },
            ip: ctx.ip,
          });
        }
        return { activePolicyId: input.policyId };
      });
    }),
});
