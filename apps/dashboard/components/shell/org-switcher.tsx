"use client";

import { Badge, cn } from "@junction/ui";
import { useRouter } from "next/navigation";
import { useSession } from "next-auth/react";
import { useState, useTransition } from "react";
import { CheckIcon, ChevronUpDownIcon, PlusIcon } from "@/components/icons";
import { CreateOrganizationDialog } from "./create-organization-dialog";
import { Popover, PopoverItem } from "./popover";

export type OrganizationChoice = { id: string; name: string; role: string };

/**
 * Switches the active organization. The choice is written into the session JWT through next-auth's `update()`;
 * the server accepts only organizations the user belongs to, and the API re-checks membership on every call.
 */
export function OrgSwitcher({
  organizations,
  activeId,
}: {
  organizations: OrganizationChoice[];
  activeId: string;
}) {
  const router = useRouter();
  const { update } = useSession();
  const [pending, startTransition] = useTransition();
  const [creating, setCreating] = useState(false);
  const active = organizations.find((organization) => organization.id === activeId);

  function switchTo(id: string) {
    startTransition(async () => {
      await update({ activeOrganizationId: id });
      router.refresh();
    });
  }

  return (
    <>
      <Popover
        triggerLabel="Switch organization"
        triggerClassName={cn(
          "flex w-full items-center gap-3 rounded-lg bg-white/5 px-3 py-2.5 text-left ring-1 ring-white/10 transition-colors",
          "hover:bg-white/10 focus-visible:outline-2 focus-visible:outline-indigo-400",
          pending && "opacity-60",
        )}
        trigger={() => (
          <>
            <span className="flex size-7 shrink-0 items-center justify-center rounded-md bg-indigo-600 text-xs font-semibold text-white">
              {(active?.name ?? "?").slice(0, 1).toUpperCase()}
            </span>
            <span className="min-w-0 flex-1">
              <span
                className="block truncate text-sm font-medium text-white"
                data-testid="active-organization"
              >
                {active?.name ?? "Organization"}
              </span>
              <span className="block text-xs text-slate-400 capitalize">{active?.role ?? ""}</span>
            </span>
            <span className="text-slate-400">
              <ChevronUpDownIcon />
            </span>
          </>
        )}
      >
        {(close) => (
          <>
            <p className="px-3 pt-1 pb-1.5 text-xs font-medium text-slate-500 dark:text-slate-400">
              Organizations
            </p>
            {organizations.map((organization) => (
              <PopoverItem
                key={organization.id}
                onSelect={() => {
                  close();
                  if (organization.id !== activeId) switchTo(organization.id);
                }}
              >
                <span className="min-w-0 flex-1 truncate">{organization.name}</span>
                <Badge className="capitalize">{organization.role}</Badge>
                <span
                  className={cn(
                    "w-4",
                    organization.id === activeId ? "text-indigo-600 dark:text-indigo-400" : "invisible",
                  )}
                >
                  <CheckIcon />
                </span>
              </PopoverItem>
            ))}
            <div className="mt-1 border-t border-slate-100 dark:border-slate-800 pt-1">
              <PopoverItem
                onSelect={() => {
                  close();
                  setCreating(true);
                }}
              >
                <PlusIcon />
                New organization
              </PopoverItem>
            </div>
          </>
        )}
      </Popover>
      <CreateOrganizationDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          switchTo(id);
        }}
      />
    </>
  );
}
