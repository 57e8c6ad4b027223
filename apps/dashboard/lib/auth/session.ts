import type { SessionIdentity } from "@junction/api";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";

/** The signed-in user and their active organization, from the next-auth JWT cookie; null when signed out. */
export async function getSessionIdentity(): Promise<SessionIdentity | null> {
  const session = await getServerSession(authOptions());
  if (!session?.user?.id) return null;
  return {
    userId: session.user.id,
    activeOrganizationId: session.activeOrganizationId ?? null,
    sessionId: session.sessionId,
  };
}
