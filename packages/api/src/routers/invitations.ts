import { JunctionError, newId } from "@junction/core";
import { type Db, Prisma } from "@junction/db";
import { z } from "zod";
import { writeAudit } from "../audit";
import { hashToken, invitationToken } from "../auth/tokens";
import { createInvitationInput, linkTokenSchema } from "../schemas";
import { authedProcedure, createTRPCRouter, ownerProcedure, publicProcedure } from "../trpc";

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const invitationId = z.string().min(1).max(64);

type InvitationRow = Prisma.InvitationGetPayload<{ include: { organization: { select: { name: true } } } }>;
export type InvitationState = "pending" | "accepted" | "revoked" | "expired";

function stateOf(
  invitation: InvitationRow | Omit<InvitationRow, "organization">,
  now = new Date(),
): InvitationState {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  return invitation.expiresAt <= now ? "expired" : "pending";
}

const linkOf = (ctx: { dashboardUrl: string; linkSecret: string }, id: string) =>
  `${ctx.dashboardUrl}/invite/${invitationToken(ctx.linkSecret, id)}`;

async function ownInvitation(db: Db, organizationId: string, id: string) {
  const invitation = await db.invitation.findFirst({ where: { id, organizationId } });
  if (!invitation) throw new JunctionError("not_found", "Invitation not found");
  return invitation;
}

async function findByToken(db: Db, token: string): Promise<InvitationRow | null> {
  return db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { organization: { select: { name: true } } },
  });
}

/**
 * Invitations by link and email. Owners invite, copy the link again, and revoke; the invited person opens
 * /invite/<token>, signs in or up with the invited address, and accepts. Only the link's SHA-256 is stored.
 */
export const invitationsRouter = createTRPCRouter({
  /** Pending invitations (owners only: they carry the links). */
  list: ownerProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.invitation.findMany({
      where: {
        organizationId: ctx.tenant.organizationId,
        acceptedAt: null,
        revokedAt: null,
        expiresAt: { gt: new Date() },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    return rows.map((row) => ({
      id: row.id,
      email: row.email,
      role: row.role,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
    }));
  }),

  /** Creates (or renews, for an address already invited) an invitation, emails the link, and returns it. */
  create: ownerProcedure.input(createInvitationInput).mutation(async ({ ctx, input }) => {
    const organizationId = ctx.tenant.organizationId;
    const member = await ctx.db.membership.findFirst({
      where: { organizationId, user: { email: input.email } },
      select: { id: true },
    });
    if (member) {
      throw new JunctionError("conflict", `${input.email} is already a member of this organization`, {
        param: "email",
      });
    }
    const now = new Date();
    // One live invitation per address: a new one replaces (revokes) the earlier.
    await ctx.db.invitation.updateMany({
      where: { organizationId, email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    const id = newId("invitation");
    const invitation = await ctx.db.invitation.create({
      data: {
        id,
        organizationId,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(invitationToken(ctx.linkSecret, id)),
        invitedById: ctx.tenant.userId,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      },
      include: { organization: { select: { name: true } } },
    });
    await writeAudit(ctx.db, {
      organizationId,
      actorUserId: ctx.tenant.userId,
      action: "invitation.create",
      targetType: "invitation",
      targetId: id,
      metadata: { role: input.role },
      ip: ctx.ip,
    });
    const link = linkOf(ctx, id);
    const inviter = await ctx.db.user.findUnique({
      where: { id: ctx.tenant.userId },
      select: { name: true },
    });
    let emailed = true;
    await ctx.mailer
      .send({
        to: input.email,
        subject: `You are invited to ${invitation.organization.name} on Junction`,
        text: [
          `${inviter?.name ?? "Someone"} invited you to join ${invitation.organization.name} on Junction as ${input.role}.`,
          "",
          `Accept the invitation (valid for 7 days): ${link}`,
        ].join("\n"),
      })
      .catch(() => {
        emailed = false;
      });
    return { id, email: input.email, role: input.role, expiresAt: invitation.expiresAt, link, emailed };
  }),

  /** The link of a pending invitation, to copy again. */
  link: ownerProcedure.input(z.object({ id: invitationId })).query(async ({ ctx, input }) => {
    const invitation = await ownInvitation(ctx.db, ctx.tenant.organizationId, input.id);
    if (stateOf(invitation) !== "pending") throw new JunctionError("not_found", "Invitation not found");
    return { link: linkOf(ctx, invitation.id) };
  }),

  revoke: ownerProcedure.input(z.object({ id: invitationId })).mutation(async ({ ctx, input }) => {
    const invitation = await ownInvitation(ctx.db, ctx.tenant.organizationId, input.id);
    if (!invitation.revokedAt && !invitation.acceptedAt) {
      await ctx.db.invitation.updateMany({
        where: { id: invitation.id, revokedAt: null, acceptedAt: null },
        data: { revokedAt: new Date() },
      });
      await writeAudit(ctx.db, {
        organizationId: ctx.tenant.organizationId,
        actorUserId: ctx.tenant.userId,
        action: "invitation.revoke",
        targetType: "invitation",
        targetId: invitation.id,
        ip: ctx.ip,
      });
    }
    return { id: invitation.id };
  }),

  /** What the accept page shows before anyone signs in: organization, role, invited address, state. */
  preview: publicProcedure.input(z.object({ token: linkTokenSchema })).query(async ({ ctx, input }) => {
    const invitation = await findByToken(ctx.db, input.token);
    if (!invitation) throw new JunctionError("not_found", "This invitation link is not valid");
    const signedInEmail = ctx.session
      ? ((await ctx.db.user.findUnique({ where: { id: ctx.session.userId }, select: { email: true } }))
          ?.email ?? null)
      : null;
    const hasAccount = (await ctx.db.user.count({ where: { email: invitation.email } })) > 0;
    return {
      organizationName: invitation.organization.name,
      email: invitation.email,
      role: invitation.role,
      state: stateOf(invitation),
      expiresAt: invitation.expiresAt,
      signedInEmail,
      hasAccount,
    };
  }),

  /** Joins the organization. The signed-in account must have the invited address. */
  accept: authedProcedure.input(z.object({ token: linkTokenSchema })).mutation(async ({ ctx, input }) => {
    const invitation = await findByToken(ctx.db, input.token);
    if (!invitation) throw new JunctionError("not_found", "This invitation link is not valid");
    const state = stateOf(invitation);
    if (state !== "pending") throw new JunctionError("conflict", `This invitation is ${state}`);
    const user = await ctx.db.user.findUnique({
      where: { id: ctx.session.userId },
      select: { id: true, email: true },
    });
    if (!user) throw new JunctionError("unauthorized", "Sign in to continue");
    if (user.email.toLowerCase() !== invitation.email.toLowerCase()) {
      throw new JunctionError(
        "forbidden",
        `This invitation is for ${invitation.email}. Sign in with that address to accept it.`,
      );
    }
    const membershipId = newId("membership");
    try {
      await ctx.db.$transaction(async (tx) => {
        // Claim the invitation first: of two concurrent accepts, only one sees count 1.
        const claimed = await tx.invitation.updateMany({
          where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
          data: { acceptedAt: new Date() },
        });
        if (claimed.count !== 1) throw new JunctionError("conflict", "This invitation is no longer pending");
        await tx.membership.create({
          data: {
            id: membershipId,
            organizationId: invitation.organizationId,
            userId: user.id,
            role: invitation.role,
          },
        });
        await writeAudit(tx, {
          organizationId: invitation.organizationId,
          actorUserId: user.id,
          action: "invitation.accept",
          targetType: "membership",
          targetId: membershipId,
          metadata: { invitationId: invitation.id, role: invitation.role },
          ip: ctx.ip,
        });
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        throw new JunctionError("conflict", "You are already a member of this organization");
      }
      throw error;
    }
    return {
      organizationId: invitation.organizationId,
      organizationName: invitation.organization.name,
      role: invitation.role,
    };
  }),
});
