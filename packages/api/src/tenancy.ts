import type { Db, Role } from "@junction/db";

/** Who is acting, for which organization, with which role: resolved once per request by the tRPC middleware. */
export type Tenant = { userId: string; organizationId: string; role: Role; membershipId: string };

/** The membership of `userId` in `organizationId`, or null: the check behind switching organizations. */
export async function findMembership(db: Db, userId: string, organizationId: string): Promise<Tenant | null> {
  const membership = await db.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { id: true, role: true },
  });
  return membership ? { userId, organizationId, role: membership.role, membershipId: membership.id } : null;
}

/**
 * The tenant a session acts as: the active organization named in the session if the user (still) belongs to it,
 * otherwise the user's oldest membership. Never an organization the user is not a member of.
 */
export async function resolveTenant(
  db: Db,
  userId: string,
  activeOrganizationId: string | null,
): Promise<Tenant | null> {
  if (activeOrganizationId) {
    const active = await findMembership(db, userId, activeOrganizationId);
    if (active) return active;
  }
  const first = await db.membership.findFirst({
    where: { userId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, role: true, organizationId: true },
  });
  return first
    ? { userId, organizationId: first.organizationId, role: first.role, membershipId: first.id }
    : null;
}
