"use client";

import { Button, Dialog } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";

/** Revoke with confirmation; the key stops working on every gateway at once. */
export function RevokeKeyButton({
  id,
  name,
  displayPrefix,
}: {
  id: string;
  name: string;
  displayPrefix: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions());

  async function confirm() {
    try {
      await revoke.mutateAsync({ id });
      setOpen(false);
      router.refresh();
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  return (
    <>
      <Button
        variant="subtle"
        size="sm"
        className="text-rose-600 dark:text-rose-400 hover:bg-rose-50 dark:hover:bg-rose-950/40 hover:text-rose-700"
        onClick={() => setOpen(true)}
        aria-label={`Revoke ${name}`}
      >
        Revoke
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Revoke “${name}”?`}
        description="Requests with this key will be refused with 401 right away. This cannot be undone."
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => void confirm()} disabled={revoke.isPending}>
              {revoke.isPending ? "Revoking…" : "Revoke key"}
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Key{" "}
          <code className="rounded bg-slate-100 dark:bg-slate-800 px-1.5 py-0.5 font-mono text-xs text-slate-900 dark:text-white">
            {displayPrefix}
          </code>
          . Its usage history stays in Activity.
        </p>
        {error ? (
          <p role="alert" className="mt-3 text-sm text-rose-600 dark:text-rose-400">
            {error}
          </p>
        ) : null}
      </Dialog>
    </>
  );
}
