import { JunctionError } from "@junction/core";
import { z } from "zod";
import { auditFilterInput, auditPage } from "../queries/audit-log";
import { adminProcedure, createTRPCRouter } from "../trpc";

const PAGE_SIZE = 50;

/** The organization's audit log (admins and owners): read-only — there is no procedure that changes it. */
export const auditRouter = createTRPCRouter({
  list: adminProcedure
    .input(auditFilterInput.extend({ cursor: z.string().max(64).optional() }))
    .query(async ({ ctx, input }) => {
      const { cursor, ...filter } = input;
      const page = await auditPage(ctx.db, ctx.tenant.organizationId, filter, { cursor, limit: PAGE_SIZE });
      if (!page) throw new JunctionError("not_found", "Audit entry not found", { param: "cursor" });
      return page;
    }),

  /** What the filters offer: the actions that occur in this organization's log, and the people who acted. */
  filters: adminProcedure.query(async ({ ctx }) => {
    const organizationId = ctx.tenant.organizationId;
    const [actions, actors] = await Promise.all([
      ctx.db.auditLog.findMany({
        where: { organizationId },
        distinct: ["action"],
        select: { action: true },
        orderBy: { action: "asc" },
      }),
      ctx.db.auditLog.findMany({
        where: { organizationId, actorUserId: { not: null } },
        distinct: ["actorUserId"],
        select: { actor: { select: { id: true, name: true, email: true } } },
      }),
    ]);
    return {
      actions: actions.map((row) => row.action),
      actors: actors.flatMap((row) => (row.actor ? [row.actor] : [])),
    };
  }),
});
