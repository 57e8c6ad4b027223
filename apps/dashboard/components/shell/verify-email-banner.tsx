"use client";

import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";

/** Reminds an unverified user to confirm their address, with a way to get a new link. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const trpc = useTRPC();
  const resend = useMutation(trpc.auth.sendVerificationEmail.mutationOptions());
  return (
    <div
      data-testid="verify-email-banner"
      className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-amber-200 bg-amber-50 px-4 py-2.5 text-sm text-amber-900 sm:px-6 lg:px-10 dark:border-amber-900/50 dark:bg-amber-950/40 dark:text-amber-200"
    >
      <span className="min-w-0">
        Confirm your email address: we sent a link to{" "}
        <strong className="font-medium break-all">{email}</strong>.
      </span>
      {resend.isSuccess ? (
        <span role="status">A new link is on its way.</span>
      ) : (
        <button
          type="button"
          onClick={() => resend.mutate()}
          disabled={resend.isPending}
          className="rounded font-medium underline underline-offset-2 hover:no-underline focus-visible:outline-2 focus-visible:outline-amber-600"
        >
          {resend.isPending ? "Sending…" : "Send a new link"}
        </button>
      )}
      {resend.error ? <span role="alert">{messageOf(resend.error)}</span> : null}
    </div>
  );
}
