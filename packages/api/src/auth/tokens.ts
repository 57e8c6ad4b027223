import { createHash, createHmac, randomBytes } from "node:crypto";
import type { Db } from "@junction/db";

/**
 * Single-use tokens for links sent by email (email verification, password reset). Only the SHA-256 of a token is
 * stored; consuming deletes the row in the same statement that checks it, so a token works at most once even when
 * two requests race.
 */
export type TokenPurpose = "email_verification" | "password_reset";

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  email_verification: 24 * 60 * 60 * 1000,
  password_reset: 60 * 60 * 1000,
};

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export const newToken = (): string => randomBytes(32).toString("base64url");

/** Issues a token for `identifier` (a user id), replacing that user's earlier tokens of the same purpose. */
export async function issueToken(
  db: Db,
  purpose: TokenPurpose,
  identifier: string,
  now = new Date(),
): Promise<string> {
  const token = newToken();
  await db.$transaction([
    db.verificationToken.deleteMany({ where: { identifier, purpose } }),
    db.verificationToken.create({
      data: {
        identifier,
        purpose,
        token: hashToken(token),
        expires: new Date(now.getTime() + TOKEN_TTL_MS[purpose]),
      },
    }),
  ]);
  return token;
}

/** The identifier the token was issued for, or null when it is unknown, expired, used, or for another purpose. */
export async function consumeToken(
  db: Db,
  purpose: TokenPurpose,
  token: string,
  now = new Date(),
): Promise<string | null> {
  const rows = await db.$queryRaw<{ identifier: string }[]>`
    DELETE FROM "VerificationToken"
    WHERE "token" = ${hashToken(token)} AND "purpose" = ${purpose} AND "expires" > ${now}
    RETURNING "identifier"`;
  return rows[0]?.identifier ?? null;
}

/**
 * Invitation links are derived from the invitation id with an HMAC of the deployment's secret, so an owner can copy
 * the link again later while the database still holds only its SHA-256.
 */
export function invitationToken(secret: string, invitationId: string): string {
  return createHmac("sha256", secret).update(`invitation:${invitationId}`).digest("base64url");
}
