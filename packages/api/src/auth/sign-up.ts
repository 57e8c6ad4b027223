import { JunctionError, newId } from "@junction/core";
import { type Db, Prisma, slugify } from "@junction/db";
import { writeAudit } from "../audit";
import type { SignUpInput } from "../schemas";
import { hashPassword } from "./password";

export type SignUpResult = { userId: string; organizationId: string };

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export type NewAccount = {
  name: string;
  email: string;
  /** Null for accounts that sign in only through an OAuth provider. */
  passwordHash: string | null;
  emailVerified?: Date;
  organizationName?: string | undefined;
  starterCreditNano: bigint;
  ip?: string | undefined;
  /** The OAuth identity to link, when the account comes from GitHub/Google. */
  oauth?: { type: string; provider: string; providerAccountId: string };
};

/**
 * Creates the user, their first organization (owner membership) and its starter credit in one transaction, so an
 * account either exists completely or not at all. The credit's idempotency key `starter:<orgId>` guarantees it is
 * granted once per organization.
 */
export async function createAccount(db: Db, input: NewAccount): Promise<SignUpResult> {
  const userId = newId("user");
  const organizationId = newId("organization");
  const organizationName = input.organizationName ?? `${input.name}'s organization`;
  try {
    await db.$transaction(async (tx) => {
      await tx.user.create({
        data: {
          id: userId,
          email: input.email,
          name: input.name,
          passwordHash: input.passwordHash,
          emailVerified: input.emailVerified ?? null,
        },
      });
      if (input.oauth) {
        await tx.account.create({ data: { id: newId("account"), userId, ...input.oauth } });
      }
      await tx.organization.create({
        data: {
          id: organizationId,
          name: organizationName,
          slug: `${slugify(organizationName)}-${organizationId.slice(-6)}`,
        },
      });
      await tx.membership.create({
        data: { id: newId("membership"), organizationId, userId, role: "owner" },
      });
      if (input.starterCreditNano > 0n) {
        await tx.creditLedgerEntry.create({
          data: {
            id: newId("ledgerEntry"),
            organizationId,
            kind: "promotional",
            amount: input.starterCreditNano,
            idempotencyKey: `starter:${organizationId}`,
            description: "Starter credit",
          },
        });
      }
      await writeAudit(tx, {
        organizationId,
        actorUserId: userId,
        action: "organization.create",
        targetType: "organization",
        targetId: organizationId,
        ...(input.ip && { ip: input.ip }),
      });
    });
  } catch (error) {
    // Two sign-ups racing with the same email: the unique index decides, the loser gets the same answer.
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  return { userId, organizationId };
}

const emailTaken = () =>
  new JunctionError("conflict", "An account with this email already exists. Sign in instead.", {
    param: "email",
  });

/** Email + password sign-up. */
export async function signUp(
  db: Db,
  input: SignUpInput & { starterCreditNano: bigint; ip?: string },
): Promise<SignUpResult> {
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw emailTaken();
  return createAccount(db, {
    name: input.name,
    email: input.email,
    passwordHash: await hashPassword(input.password),
    organizationName: input.organizationName,
    starterCreditNano: input.starterCreditNano,
    ip: input.ip,
  });
}
