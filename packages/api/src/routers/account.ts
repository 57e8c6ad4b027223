import { createOrganization } from "@junction/db";
import { z } from "zod";
import { writeAudit } from "../audit";
import { organizationNameSchema } from "../schemas";
import { resolveTenant } from "../tenancy";
import { authedProcedure, createTRPCRouter } from "../trpc";

/** The signed-in person and their organizations: what the app shell (org switcher, user menu) shows. */
export const accountRouter = createTRPCRouter({
  me: authedProcedure.query(async ({ ctx }) => {
    const user = await ctx.db.user.findUnique({
      where: { id: ctx.session.userId },
      select: { id: true, name: true, email: true, emailVerified: true },
    });
    if (!user) return null;
    const memberships = await ctx.db.membership.findMany({
      where: { userId: user.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { role: true, organization: { select: { id: true, name: true } } },
    });
    const active = await resolveTenant(ctx.db, user.id, ctx.session.activeOrganizationId);
    return {
      user,
      organizations: memberships.map((membership) => ({ ...membership.organization, role: membership.role })),
      active: active ? { organizationId: active.organizationId, role: active.role } : null,
    };
  }),

  /** Another organization owned by the caller. No starter credit: that is granted once, at sign-up. */
  createOrganization: authedProcedure
    .input(z.object({ name: organizationNameSchema }))
    .mutation(async ({ ctx, input }) => {
      const organization = await createOrganization(ctx.db, {
        name: input.name,
        ownerUserId: ctx.session.userId,
      });
      await writeAudit(ctx.db, {
        organizationId: organization.id,
        actorUserId: ctx.session.userId,
        action: "organization.create",
        targetType: "organization",
        targetId: organization.id,
        ip: ctx.ip,
      });
      return { id: organization.id, name: organization.name };
    }),
});
