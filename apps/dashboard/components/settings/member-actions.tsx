"use client";

import { Button, Dialog, Select } from "@junction/ui";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { messageOf } from "@/lib/trpc/errors";

const ROLE_OPTIONS = ["viewer", "member", "admin", "owner"] as const;
type RoleOption = (typeof ROLE_OPTIONS)[number];

/** Owner controls for one member: change the role, or remove them (an organization always keeps an owner). */
export function MemberActions({
  membershipId,
  name,
  role,
}: {
  membershipId: string;
  name: string;
  role: RoleOption;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const updateRole = useMutation(trpc.members.updateRole.mutationOptions());
  const remove = useMutation(trpc.members.remove.mutationOptions());

  async function run(action: () => Promise<unknown>) {
    try {
      await action();
      setError(undefined);
      setConfirming(false);
      router.refresh();
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  return (
    <div className="flex items-center justify-end gap-2">
      {error ? <span className="text-xs text-rose-600 dark:text-rose-400">{error}</span> : null}
      <Select
        aria-label={`Role of ${name}`}
        value={role}
        disabled={updateRole.isPending}
        onChange={(event) =>
          void run(() => updateRole.mutateAsync({ membershipId, role: event.target.value as RoleOption }))
        }
        width="auto"
        className="h-8 w-28 text-xs capitalize"
      >
        {ROLE_OPTIONS.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </Select>
      <Button
        variant="subtle"
        size="sm"
        onClick={() => setConfirming(true)}
        className="text-rose-600 dark:text-rose-400 hover:bg-rose-50 dark:hover:bg-rose-950/40"
      >
        Remove
      </Button>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Remove ${name}?`}
        description="They lose access to this organization at once. Keys they created keep working until revoked."
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={remove.isPending}
              onClick={() => void run(() => remove.mutateAsync({ membershipId }))}
            >
              Remove member
            </Button>
          </>
        }
      />
    </div>
  );
}
