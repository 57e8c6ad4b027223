import type { DefaultSession } from "next-auth";

// What Junction keeps in next-auth's JWT and session: the user id and the active organization (checked against the
// memberships on every API call, so a stale value can never widen access).
declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
    activeOrganizationId: string | null;
    /** This session's id in the session registry (never a secret: revoking needs a signed-in user). */
    sessionId?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    activeOrganizationId?: string | null;
    /** The session id registered at sign-in; the token is refused once it is no longer registered. */
    sid?: string;
  }
}
