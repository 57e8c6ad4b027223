import { appRouter, createTRPCContext } from "@junction/api";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getSessionIdentity } from "@/lib/auth/session";
import { log } from "@/lib/server/log";
import { clientIp, services } from "@/lib/server/services";

function handler(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () =>
      createTRPCContext(services(), { session: await getSessionIdentity(), ip: clientIp(req.headers) }),
    onError({ path, error }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        log().error(`tRPC error on ${path ?? "<no-path>"}`, error.cause ?? error);
      }
    },
  });
}

export { handler as GET, handler as POST };
