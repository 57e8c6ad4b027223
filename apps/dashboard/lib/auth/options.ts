import {
  findMembership,
  isSessionActive,
  newSessionId,
  registerSession,
  resolveTenant,
  verifyCredentials,
} from "@junction/api";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { dashboardEnv } from "@/lib/env";
import { clientIp, services } from "@/lib/server/services";
import { oauthProviders, signInWithOAuth, userIdForOAuth } from "./oauth";

const THIRTY_DAYS = 30 * 24 * 60 * 60;

/**
 * next-auth 4 with JWT sessions (required by the Credentials provider). The token carries the user id (`sub`) and
 * the active organization; switching organizations goes through `update()`, which only accepts organizations the
 * user is a member of.
 */
let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  cached ??= buildAuthOptions();
  return cached;
}

function buildAuthOptions(): NextAuthOptions {
  const env = dashboardEnv();
  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: THIRTY_DAYS },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, request) {
          try {
            const ip = clientIp(request.headers ?? {});
            const user = await verifyCredentials(services(), {
              email: credentials?.email,
              password: credentials?.password,
              ip,
            });
            // Where and with what the session was opened, for the sessions list (jwt() registers it).
            const userAgent = (request.headers as Record<string, string | undefined> | undefined)?.[
              "user-agent"
            ];
            return { ...user, signInIp: ip, signInUserAgent: userAgent ?? null };
          } catch (error) {
            // next-auth hands this message to the sign-in form (wrong password, or throttled).
            throw new Error(error instanceof Error ? error.message : "Sign-in failed");
          }
        },
      }),
      ...oauthProviders(env),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.type !== "oauth") return true;
        return signInWithOAuth(services().db, { user, account, profile });
      },
      async jwt({ token, user, account, trigger, session }) {
        const { db, redis, redisPrefix } = services();
        if (user) {
          // OAuth sign-ins carry the provider's user id; ours comes from the linked account.
          const id = account?.type === "oauth" ? await userIdForOAuth(db, account) : user.id;
          if (id) token.sub = id;
          token.activeOrganizationId = token.sub
            ? ((await resolveTenant(db, token.sub, null))?.organizationId ?? null)
            : null;
          if (token.sub) {
            // Each sign-in is a registered session; revoking it (account page) signs that browser out.
            const opened = user as { signInIp?: string; signInUserAgent?: string | null };
            token.sid = newSessionId();
            await registerSession(redis, redisPrefix, token.sub, {
              id: token.sid,
              ip: opened.signInIp ?? null,
              userAgent: opened.signInUserAgent ?? null,
            });
          }
        }
        // A session revoked from the account page or by a password reset (or signed in before sessions were
        // registered) ends here: an empty token has no user, so it is signed out.
        if (!user && token.sub && !(await isSessionActive(redis, redisPrefix, token.sub, token.sid))) {
          return {};
        }
        if (trigger === "update" && token.sub) {
          const requested = (session as { activeOrganizationId?: unknown } | undefined)?.activeOrganizationId;
          if (typeof requested === "string" && (await findMembership(db, token.sub, requested))) {
            token.activeOrganizationId = requested;
          }
        }
        return token;
      },
      session({ session, token }) {
        return {
          ...session,
          user: { ...session.user, id: token.sub ?? "" },
          activeOrganizationId: token.activeOrganizationId ?? null,
          ...(token.sid && { sessionId: token.sid }),
        };
      },
    },
  };
}
