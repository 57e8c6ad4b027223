"use client";

import { Button } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useSession } from "next-auth/react";
import { useState } from "react";
import { FormError } from "@/components/forms/form-parts";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";

/** Joins the organization, makes it the active one, and opens its overview. */
export function AcceptInvitation({ token, organizationName }: { token: string; organizationName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { update } = useSession();
  const accept = useMutation(trpc.invitations.accept.mutationOptions());
  const [error, setError] = useState<string>();

  async function onAccept() {
    try {
      const joined = await accept.mutateAsync({ token });
      await update({ activeOrganizationId: joined.organizationId });
      router.replace("/overview");
      router.refresh();
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  return (
    <div className="space-y-4">
      <FormError message={error} />
      <Button
        size="lg"
        className="w-full"
        disabled={accept.isPending || accept.isSuccess}
        onClick={() => void onAccept()}
      >
        {accept.isPending || accept.isSuccess ? "Joining…" : `Join ${organizationName}`}
      </Button>
    </div>
  );
}
