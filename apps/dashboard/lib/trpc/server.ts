import { createCaller, createTRPCContext } from "@junction/api";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getSessionIdentity } from "@/lib/auth/session";
import { clientIp, services } from "@/lib/server/services";

export type ServerApi = ReturnType<typeof createCaller>;

/**
 * The tRPC router called in-process from server components: same procedures and middleware (tenancy, roles) as
 * over HTTP, no network hop. One caller per request.
 */
export const serverApi = cache(async (): Promise<ServerApi> => {
  const [session, requestHeaders] = await Promise.all([getSessionIdentity(), headers()]);
  return createCaller(createTRPCContext(services(), { session, ip: clientIp(requestHeaders) }));
});

/** Runs a server-side API call: NOT_FOUND renders the 404 page, UNAUTHORIZED sends the visitor to sign in. */
export async function load<T>(call: (api: ServerApi) => Promise<T>): Promise<T> {
  try {
    return await call(await serverApi());
  } catch (error) {
    if (error instanceof TRPCError) {
      if (error.code === "NOT_FOUND") notFound();
      if (error.code === "UNAUTHORIZED") redirect("/signin");
    }
    throw error;
  }
}
