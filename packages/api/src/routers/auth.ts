import { JunctionError } from "@junction/core";
import { signUp } from "../auth/sign-up";
import { recordAttempt, SIGN_UP_PER_IP, throttledFor } from "../auth/throttle";
import { signUpInput } from "../schemas";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const authRouter = createTRPCRouter({
  /** Creates the account, its organization and starter credit; the client then signs in with the same password. */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    const wait = await throttledFor(ctx.redis, ctx.redisPrefix, SIGN_UP_PER_IP, ctx.ip);
    if (wait > 0)
      throw new JunctionError("rate_limited", "Too many sign-ups from your network. Try again later.");
    await recordAttempt(ctx.redis, ctx.redisPrefix, SIGN_UP_PER_IP, ctx.ip);
    const result = await signUp(ctx.db, { ...input, starterCreditNano: ctx.starterCreditNano, ip: ctx.ip });
    return { organizationId: result.organizationId };
  }),
});
