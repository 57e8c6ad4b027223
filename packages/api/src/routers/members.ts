import { JunctionError } from "@junction/core";
import type { Db, Role } from "@junction/db";
import { z } from "zod";
import { writeAudit } from "../audit";
import { ROLES } from "../roles";
import { createTRPCRouter, ownerProcedure, viewerProcedure } from "../trpc";

const membershipId = z.string().min(1).max(64);

async function ownMembership(db: Db, organizationId: string, id: string) {
  const membership = await db.membership.findFirst({ where: { id, organizationId } });
  if (!membership) throw new JunctionError("not_found", "Member not found");
  return membership;
}

async function assertAnotherOwner(db: Db, organizationId: string, leaving: { role: Role }): Promise<void> {
  if (leaving.role !== "owner") return;
  const owners = await db.membership.count({ where: { organizationId, role: "owner" } });
  if (owners <= 1) throw new JunctionError("conflict", "An organization needs at least one owner");
}

/** Who belongs to the organization. Everyone can see the list; only owners change roles or remove people. */
export const membersRouter = createTRPCRouter({
  list: viewerProcedure.query(async ({ ctx }) => {
    const members = await ctx.db.membership.findMany({
      where: { organizationId: ctx.tenant.organizationId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: { user: { select: { id: true, name: true, email: true } } },
    });
    return members.map((member) => ({
      id: member.id,
      role: member.role,
      joinedAt: member.createdAt,
      user: member.user,
      isYou: member.userId === ctx.tenant.userId,
    }));
  }),

  updateRole: ownerProcedure
    .input(z.object({ membershipId, role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      const membership = await ownMembership(ctx.db, ctx.tenant.organizationId, input.membershipId);
      if (input.role !== "owner") await assertAnotherOwner(ctx.db, ctx.tenant.organizationId, membership);
      await ctx.db.membership.update({ where: { id: membership.id }, data: { role: input.role } });
      await writeAudit(ctx.db, {
        organizationId: ctx.tenant.organizationId,
        actorUserId: ctx.tenant.userId,
        action: "member.update_role",
        targetType: "membership",
        targetId: membership.id,
        before: { role: membership.role, userId: membership.userId },
        after: { role: input.role, userId: membership.userId },
        ip: ctx.ip,
      });
      return { id: membership.id, role: input.role };
    }),

  remove: ownerProcedure.input(z.object({ membershipId })).mutation(async ({ ctx, input }) => {
    const membership = await ownMembership(ctx.db, ctx.tenant.organizationId, input.membershipId);
    await assertAnotherOwner(ctx.db, ctx.tenant.organizationId, membership);
    await ctx.db.membership.delete({ where: { id: membership.id } });
    await writeAudit(ctx.db, {
      organizationId: ctx.tenant.organizationId,
      actorUserId: ctx.tenant.userId,
      action: "member.remove",
      targetType: "membership",
      targetId: membership.id,
      before: { role: membership.role, userId: membership.userId },
      after: null,
      ip: ctx.ip,
    });
    return { id: membership.id };
  }),
});
