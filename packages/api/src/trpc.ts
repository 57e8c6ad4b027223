import { isJunctionError } from "@junction/core";
import type { Role } from "@junction/db";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { TRPCContext } from "./context";
import { errorData, toTRPCError } from "./errors";
import { hasRole } from "./roles";
import { resolveTenant } from "./tenancy";

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const { message, data } = errorData(error);
    return { ...shape, message: message ?? shape.message, data: { ...shape.data, ...data } };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors (JunctionError) become the matching TRPCError here, once, for every procedure. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isJunctionError(result.error.cause)) throw toTRPCError(result.error.cause);
  return result;
});

export const publicProcedure = t.procedure.use(mapDomainErrors);

/** A signed-in user, organization not yet resolved (account-level procedures). */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  return next({ ctx: { session: ctx.session } });
});

/**
 * Tenancy in one place: the organization comes from the session (its active organization, re-checked against the
 * memberships on every call) and never from input; the role must be at least `minimum`. Procedures scope every
 * query by `ctx.tenant.organizationId`, so an id from another organization is simply not found.
 */
export function orgProcedure(minimum: Role) {
  return authedProcedure.use(async ({ ctx, next }) => {
    const tenant = await resolveTenant(ctx.db, ctx.session.userId, ctx.session.activeOrganizationId);
    if (!tenant)
      throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of any organization" });
    if (!hasRole(tenant.role, minimum)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs the ${minimum} role; you are ${tenant.role}`,
      });
    }
    return next({ ctx: { tenant } });
  });
}

export const viewerProcedure = orgProcedure("viewer");
export const memberProcedure = orgProcedure("member");
export const adminProcedure = orgProcedure("admin");
export const ownerProcedure = orgProcedure("owner");
