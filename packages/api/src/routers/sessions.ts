import { JunctionError } from "@junction/core";
import { z } from "zod";
import { listSessions, revokeOtherSessions, revokeSession } from "../auth/session-registry";
import { authedProcedure, createTRPCRouter } from "../trpc";

/** The signed-in user's own dashboard sessions: list them, end one, or end all but this one. */
export const sessionsRouter = createTRPCRouter({
  list: authedProcedure.query(async ({ ctx }) => {
    const sessions = await listSessions(ctx.redis, ctx.redisPrefix, ctx.session.userId);
    return sessions.map((session) => ({ ...session, current: session.id === ctx.session.sessionId }));
  }),

  revoke: authedProcedure
    .input(z.strictObject({ id: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      // Only the caller's own registry is ever touched: another user's session id is simply not found.
      const removed = await revokeSession(ctx.redis, ctx.redisPrefix, ctx.session.userId, input.id);
      if (!removed) throw new JunctionError("not_found", "Session not found");
      return { id: input.id, current: input.id === ctx.session.sessionId };
    }),

  revokeOthers: authedProcedure.mutation(async ({ ctx }) => {
    const ended = await revokeOtherSessions(
      ctx.redis,
      ctx.redisPrefix,
      ctx.session.userId,
      ctx.session.sessionId,
    );
    return { ended };
  }),
});
