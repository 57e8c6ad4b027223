import { signInWithOAuth as signInWithOAuthIdentity } from "@junction/api";
import type { DashboardEnv } from "@junction/config";
import type { Db } from "@junction/db";
import type { Account, Profile, User } from "next-auth";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import type { Provider } from "next-auth/providers/index";
import { services } from "@/lib/server/services";

/** GitHub and Google sign-in, each only when its client id and secret are configured. */
export function oauthProviders(env: DashboardEnv): Provider[] {
  const providers: Provider[] = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  }
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    providers.push(
      GoogleProvider({ clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET }),
    );
  }
  return providers;
}

/** The sign-in page's buttons: which OAuth providers this deployment offers. */
export function oauthProviderList(env: DashboardEnv): { id: string; name: string }[] {
  return oauthProviders(env).map((provider) => ({ id: provider.id, name: provider.name }));
}

/** next-auth `signIn` callback for OAuth: find, link or create the Junction user (see @junction/api). */
export async function signInWithOAuth(
  db: Db,
  { user, account, profile }: { user: User; account: Account; profile?: Profile | undefined },
): Promise<true | string> {
  // Google says whether it verified the address; GitHub's profile does not, so it never links to an existing account.
  const emailVerified =
    account.provider === "google" &&
    (profile as { email_verified?: unknown } | undefined)?.email_verified === true;
  const outcome = await signInWithOAuthIdentity(
    db,
    {
      provider: account.provider,
      providerAccountId: account.providerAccountId,
      email: profile?.email ?? user.email,
      emailVerified,
      name: profile?.name ?? user.name,
    },
    { starterCreditNano: services().starterCreditNano },
  );
  if ("userId" in outcome) return true;
  return `/signin?error=${outcome.refused === "no_email" ? "OAuthNoEmail" : "OAuthAccountNotLinked"}`;
}

/** The Junction user behind an OAuth sign-in (linked by signInWithOAuth just before). */
export async function userIdForOAuth(db: Db, account: Account): Promise<string | undefined> {
  const linked = await db.account.findUnique({
    where: {
      provider_providerAccountId: {
        provider: account.provider,
        providerAccountId: account.providerAccountId,
      },
    },
    select: { userId: true },
  });
  return linked?.userId;
}
