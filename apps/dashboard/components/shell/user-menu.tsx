"use client";

import { signOut } from "next-auth/react";
import { SignOutIcon } from "@/components/icons";
import { Popover, PopoverItem } from "./popover";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase() || "?";
}

/** Who is signed in, and the way out. */
export function UserMenu({ name, email }: { name: string | null; email: string }) {
  const display = name ?? email;
  return (
    <Popover
      placement="above"
      triggerLabel="Account menu"
      triggerClassName="flex w-full items-center gap-3 rounded-lg px-2 py-2 text-left hover:bg-white/5 focus-visible:outline-2 focus-visible:outline-indigo-400"
      trigger={() => (
        <>
          <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-indigo-500/20 text-xs font-semibold text-indigo-200 ring-1 ring-indigo-400/30">
            {initials(display)}
          </span>
          <span className="min-w-0">
            <span className="block truncate text-sm font-medium text-white">{display}</span>
            <span className="block truncate text-xs text-slate-400">{email}</span>
          </span>
        </>
      )}
    >
      {() => (
        <>
          <div className="border-b border-slate-100 dark:border-slate-800 px-3 pt-1 pb-2">
            <p className="truncate text-sm font-medium text-slate-900 dark:text-white">{display}</p>
            <p className="truncate text-xs text-slate-500 dark:text-slate-400">{email}</p>
          </div>
          <PopoverItem onSelect={() => window.location.assign("/account")} className="mt-1">
            Account &amp; sessions
          </PopoverItem>
          <PopoverItem onSelect={() => void signOut({ callbackUrl: "/" })}>
            <SignOutIcon />
            Sign out
          </PopoverItem>
        </>
      )}
    </Popover>
  );
}
