"use client";

import { Button } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { FormError } from "@/components/forms/form-parts";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";

/**
 * Confirms the address with one click rather than on page load, so link scanners that prefetch emailed links do
 * not use up the token.
 */
export function VerifyEmailButton({ token }: { token: string }) {
  const trpc = useTRPC();
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions());
  const [error, setError] = useState<string>();

  if (verify.data?.verified) {
    return (
      <div role="status" className="space-y-4 text-sm text-slate-700 dark:text-slate-300">
        <p data-testid="email-verified">Your email address is confirmed. Thank you!</p>
        <Link
          href="/overview"
          className="font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400"
        >
          Go to the dashboard →
        </Link>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      {verify.data && !verify.data.verified ? (
        <FormError message="This link is invalid, expired or already used. Sign in and ask for a new one from the banner at the top of the dashboard." />
      ) : null}
      <FormError message={error} />
      <Button
        size="lg"
        className="w-full"
        disabled={verify.isPending}
        onClick={() =>
          verify.mutateAsync({ token }).then(
            () => setError(undefined),
            (failure: unknown) => setError(messageOf(failure)),
          )
        }
      >
        {verify.isPending ? "Confirming…" : "Confirm my email"}
      </Button>
    </div>
  );
}
