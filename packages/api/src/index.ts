export { type AppRouter, appRouter } from "./root";
export { createTRPCContext, createTRPCRouter, publicProcedure, type TRPCContext } from "./trpc";
