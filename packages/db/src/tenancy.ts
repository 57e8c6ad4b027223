import { newId } from "@junction/core";
import type { Db } from "./client.js";
import type { Role } from "./generated/prisma/client.js";

/** Slug from a name, unique enough for humans; collisions get a short suffix. */
export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "org"
  );
}

/** Creates an organization (and the owner's membership when a user is given). */
export async function createOrganization(
  db: Db,
  input: { name: string; ownerUserId?: string },
): Promise<{ id: string; slug: string; name: string }> {
  const id = newId("organization");
  const slug = `${slugify(input.name)}-${id.slice(-6)}`;
  return db.$transaction(async (tx) => {
    const org = await tx.organization.create({ data: { id, name: input.name, slug } });
    if (input.ownerUserId) {
      await tx.membership.create({
        data: {
          id: newId("membership"),
          organizationId: id,
          userId: input.ownerUserId,
          role: "owner" satisfies Role,
        },
      });
    }
    return { id: org.id, slug: org.slug, name: org.name };
  });
}
