import { JunctionError } from "@junction/core";
import { z } from "zod";
import {
  requestPasswordReset,
  resetPassword,
  sendVerificationEmail,
  verifyEmail,
} from "../auth/account-emails";
import { signUp } from "../auth/sign-up";
import { recordAttempt, SIGN_UP_PER_IP, throttledFor } from "../auth/throttle";
import { forgotPasswordInput, linkTokenSchema, resetPasswordInput, signUpInput } from "../schemas";
import { authedProcedure, createTRPCRouter, publicProcedure } from "../trpc";

export const authRouter = createTRPCRouter({
  /** Creates the account, its organization and starter credit; the client then signs in with the same password. */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    const wait = await throttledFor(ctx.redis, ctx.redisPrefix, SIGN_UP_PER_IP, ctx.ip);
    if (wait > 0)
      throw new JunctionError("rate_limited", "Too many sign-ups from your network. Try again later.");
    await recordAttempt(ctx.redis, ctx.redisPrefix, SIGN_UP_PER_IP, ctx.ip);
    const result = await signUp(ctx.db, { ...input, starterCreditNano: ctx.starterCreditNano, ip: ctx.ip });
    // The account works at once; the confirmation link is a courtesy, so a mail failure does not fail sign-up.
    await sendVerificationEmail(ctx, { id: result.userId, email: input.email }).catch((error: unknown) => {
      ctx.log.child("auth").error("sign-up: the verification email could not be sent", error);
    });
    return { organizationId: result.organizationId };
  }),

  /** Sends the signed-in user a new confirmation link (throttled per address). */
  sendVerificationEmail: authedProcedure.mutation(async ({ ctx }) => {
    const user = await ctx.db.user.findUnique({
      where: { id: ctx.session.userId },
      select: { id: true, email: true, emailVerified: true },
    });
    if (!user) throw new JunctionError("unauthorized", "Sign in to continue");
    if (user.emailVerified) return { alreadyVerified: true };
    await sendVerificationEmail(ctx, user);
    return { alreadyVerified: false };
  }),

  /** Follows a confirmation link. Works signed out (the link may be opened on another device). */
  verifyEmail: publicProcedure
    .input(z.object({ token: linkTokenSchema }))
    .mutation(async ({ ctx, input }) => ({ verified: await verifyEmail(ctx.db, input.token) })),

  /** Always answers the same, whether or not the address has an account. */
  requestPasswordReset: publicProcedure.input(forgotPasswordInput).mutation(async ({ ctx, input }) => {
    await requestPasswordReset(ctx, input.email, ctx.ip);
    return { sent: true as const };
  }),

  /** Sets a new password from a reset link and ends the user's sessions everywhere. */
  resetPassword: publicProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
    const { email } = await resetPassword(ctx, input.token, input.password);
    return { email };
  }),
});
