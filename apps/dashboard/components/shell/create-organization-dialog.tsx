"use client";

import { organizationNameSchema } from "@junction/api/schemas";
import { Button, Dialog, Field, Input } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { fieldErrorsOf, messageOf } from "@/lib/trpc/errors";

/** Names a new organization owned by the current user; the caller switches to it. */
export function CreateOrganizationDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const trpc = useTRPC();
  const create = useMutation(trpc.account.createOrganization.mutationOptions());
  const [error, setError] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = organizationNameSchema.safeParse(new FormData(event.currentTarget).get("name") ?? "");
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    try {
      const organization = await create.mutateAsync({ name: parsed.data });
      setError(undefined);
      onCreated(organization.id);
    } catch (failure) {
      setError(fieldErrorsOf(failure).name ?? messageOf(failure));
    }
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New organization"
      description="Organizations have their own keys, credit, usage and members. You will be its owner."
    >
      <form noValidate onSubmit={onSubmit} className="space-y-5">
        <Field id="organization-name" label="Name" error={error}>
          <Input
            id="organization-name"
            name="name"
            placeholder="Acme Inc."
            invalid={Boolean(error)}
            autoFocus
          />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create organization"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
