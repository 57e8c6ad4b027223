"use client";

import { cn } from "@junction/ui";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";

/** Live status of the dashboard's own API, fetched through tRPC (proves the client ↔ route ↔ router wiring). */
export function ApiStatus() {
  const trpc = useTRPC();
  const health = useQuery(trpc.health.queryOptions(undefined, { refetchInterval: 60_000 }));

  const state = health.isPending ? "pending" : health.isError ? "down" : "up";
  const label = {
    pending: "Checking dashboard API…",
    down: "Dashboard API unreachable",
    up: "Dashboard API operational",
  }[state];

  return (
    <p
      role="status"
      data-testid="api-status"
      data-state={state}
      className="inline-flex items-center gap-2 rounded-full border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 px-3 py-1 text-xs font-medium text-slate-700 dark:text-slate-300 shadow-sm"
    >
      <span className="relative flex size-2">
        {state === "up" ? (
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-60" />
        ) : null}
        <span
          className={cn(
            "relative inline-flex size-2 rounded-full",
            state === "up" ? "bg-emerald-500" : state === "down" ? "bg-rose-500" : "bg-slate-300",
          )}
        />
      </span>
      {label}
      {health.data ? (
        // `time` arrives as a Date: superjson revived it on the way through the link.
        <span className="font-normal text-slate-400">
          · checked {health.data.time.toLocaleTimeString("en-GB", { hour12: false })}
        </span>
      ) : null}
    </p>
  );
}
