import { createTRPCRouter, publicProcedure } from "./trpc";

export const appRouter = createTRPCRouter({
  /** Liveness of the dashboard API itself; `time` is a Date to prove the superjson transformer end to end. */
  health: publicProcedure.query(() => ({ ok: true as const, time: new Date() })),
});

export type AppRouter = typeof appRouter;
