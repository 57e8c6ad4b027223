"use client";

import { Button, Dialog, Field, Input } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormError } from "@/components/forms/form-parts";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";

/** The owner's way out: typing the organization's name confirms; what happens to keys and balance is spelled out. */
export function DeleteOrganization({ name, balance }: { name: string; balance: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const remove = useMutation(trpc.organization.delete.mutationOptions());
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string>();

  async function onDelete() {
    try {
      await remove.mutateAsync({ confirmName: typed });
      // The session's active organization is gone: the server falls back to another membership, if any.
      router.replace("/overview");
      router.refresh();
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-center sm:justify-between">
      <div className="max-w-2xl text-sm text-slate-600 dark:text-slate-400">
        <p className="font-medium text-slate-900 dark:text-white">Delete this organization</p>
        <p className="mt-1">
          Every API key stops working at once, provider keys and invitations are revoked, and all members lose
          access. The remaining balance of <strong className="font-medium">{balance}</strong> is forfeited: it
          is not refunded and cannot be moved to another organization. Invoices, the ledger and receipts are
          kept for accounting.
        </p>
      </div>
      <Button variant="danger" onClick={() => setOpen(true)} className="shrink-0">
        Delete organization
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Delete ${name}?`}
        description={`This cannot be undone. ${balance} of credit will be forfeited and every API key revoked.`}
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={typed.trim() !== name || remove.isPending}
              onClick={() => void onDelete()}
            >
              {remove.isPending ? "Deleting…" : "Delete forever"}
            </Button>
          </>
        }
      >
        <Field id="confirm-organization-name" label={`Type “${name}” to confirm`}>
          <Input
            id="confirm-organization-name"
            value={typed}
            autoComplete="off"
            onChange={(event) => setTyped(event.target.value)}
          />
        </Field>
        <div className="mt-3">
          <FormError message={error} />
        </div>
      </Dialog>
    </div>
  );
}
