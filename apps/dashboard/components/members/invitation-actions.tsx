"use client";

import { Button } from "@junction/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";

/** Copy the link of a pending invitation again, or revoke it. */
export function InvitationActions({ id, email }: { id: string; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const revoke = useMutation(trpc.invitations.revoke.mutationOptions());
  const [message, setMessage] = useState<string>();
  const [link, setLink] = useState<string>();

  async function copyLink() {
    try {
      const result = await queryClient.fetchQuery(trpc.invitations.link.queryOptions({ id }));
      setLink(result.link);
      await navigator.clipboard.writeText(result.link);
      setMessage("Copied");
    } catch (error) {
      // No clipboard (plain http on another host): the link is shown to copy by hand.
      setMessage(
        error instanceof Error && error.name === "NotAllowedError" ? "Copy it below" : messageOf(error),
      );
    }
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex items-center justify-end gap-2">
        {message ? (
          <span role="status" className="text-xs text-slate-500 dark:text-slate-400">
            {message}
          </span>
        ) : null}
        <Button
          variant="secondary"
          size="sm"
          onClick={() => void copyLink()}
          aria-label={`Copy invitation link for ${email}`}
        >
          Copy link
        </Button>
        <Button
          variant="subtle"
          size="sm"
          className="text-rose-600 hover:bg-rose-50 dark:text-rose-400 dark:hover:bg-rose-950/40"
          disabled={revoke.isPending}
          aria-label={`Revoke invitation for ${email}`}
          onClick={() =>
            revoke.mutateAsync({ id }).then(
              () => router.refresh(),
              (error: unknown) => setMessage(messageOf(error)),
            )
          }
        >
          Revoke
        </Button>
      </div>
      {link && message !== "Copied" ? (
        <input
          readOnly
          value={link}
          aria-label={`Invitation link for ${email}`}
          className="w-64 rounded border border-slate-200 dark:border-slate-800 px-2 py-1 font-mono text-xs"
          onFocus={(event) => event.currentTarget.select()}
        />
      ) : null}
    </div>
  );
}
