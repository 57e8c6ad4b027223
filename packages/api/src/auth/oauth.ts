import { newId } from "@junction/core";
import type { Db } from "@junction/db";
import { emailSchema } from "../schemas";
import { createAccount } from "./sign-up";

export type OAuthIdentity = {
  provider: string;
  providerAccountId: string;
  email: string | null | undefined;
  /** Whether the provider vouches that the person controls the email address. */
  emailVerified: boolean;
  name: string | null | undefined;
};

export type OAuthOutcome = { userId: string } | { refused: "no_email" | "not_linked" };

/**
 * Signs in through GitHub/Google: a known identity signs in; a new email gets a new account (organization and
 * starter credit included). An identity is linked to an existing password account only when the provider verified
 * the email, so nobody can take over an account by registering its address elsewhere.
 */
export async function signInWithOAuth(
  db: Db,
  identity: OAuthIdentity,
  options: { starterCreditNano: bigint },
): Promise<OAuthOutcome> {
  const linked = await db.account.findUnique({
    where: {
      provider_providerAccountId: {
        provider: identity.provider,
        providerAccountId: identity.providerAccountId,
      },
    },
    select: { userId: true },
  });
  if (linked) return { userId: linked.userId };

  const email = emailSchema.safeParse(identity.email);
  if (!email.success) return { refused: "no_email" };
  const oauth = { type: "oauth", provider: identity.provider, providerAccountId: identity.providerAccountId };
  const existing = await db.user.findUnique({ where: { email: email.data }, select: { id: true } });
  if (existing) {
    if (!identity.emailVerified) return { refused: "not_linked" };
    await db.account.create({ data: { id: newId("account"), userId: existing.id, ...oauth } });
    return { userId: existing.id };
  }
  const created = await createAccount(db, {
    name: identity.name?.trim() || email.data.split("@")[0] || "New user",
    email: email.data,
    passwordHash: null,
    ...(identity.emailVerified && { emailVerified: new Date() }),
    starterCreditNano: options.starterCreditNano,
    oauth,
  });
  return { userId: created.userId };
}
