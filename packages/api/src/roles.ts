import type { Role } from "@junction/db";

/**
 * Roles are ordered: viewers read; members also create and use their own API keys; admins manage every key and
 * billing; owners also manage members.
 */
export const ROLE_RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export const ROLES = ["viewer", "member", "admin", "owner"] as const satisfies readonly Role[];

export function hasRole(actual: Role, minimum: Role): boolean {
  return ROLE_RANK[actual] >= ROLE_RANK[minimum];
}
