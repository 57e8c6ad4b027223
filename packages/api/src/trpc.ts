import { initTRPC } from "@trpc/server";
import superjson from "superjson";

/**
 * Per-request context for the dashboard's tRPC procedures.
 * The session and tenant are added here once auth lands; procedures must take the tenant from the
 * context, never from their input.
 */
export interface TRPCContext {
  headers: Headers;
}

export async function createTRPCContext(opts: { headers: Headers }): Promise<TRPCContext> {
  return { headers: opts.headers };
}

const t = initTRPC.context<TRPCContext>().create({ transformer: superjson });

export const createTRPCRouter = t.router;
export const publicProcedure = t.procedure;
