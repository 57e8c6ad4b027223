"use client";

import { GENERATION_STATUSES } from "@junction/api/schemas";
import { Button, Select } from "@junction/ui";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import { RefreshIcon } from "@/components/icons";

export interface ActivityFiltersProps {
  keys: { id: string; name: string; displayPrefix: string }[];
  models: string[];
}

/** Key / model / status filters kept in the URL (so a filtered view can be shared), plus a refresh. */
export function ActivityFilters({ keys, models }: ActivityFiltersProps) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();

  function set(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete("cursor");
    startTransition(() => router.push(next.size ? `${pathname}?${next}` : pathname, { scroll: false }));
  }

  return (
    <div className="mb-4 flex flex-wrap items-center gap-3" data-pending={pending || undefined}>
      <Select
        aria-label="Filter by API key"
        value={params.get("key") ?? ""}
        onChange={(e) => set("key", e.target.value)}
        width="auto"
        className="min-w-44"
      >
        <option value="">All keys</option>
        {keys.map((key) => (
          <option key={key.id} value={key.id}>
            {key.name} ({key.displayPrefix})
          </option>
        ))}
      </Select>
      <Select
        aria-label="Filter by model"
        value={params.get("model") ?? ""}
        onChange={(e) => set("model", e.target.value)}
        width="auto"
        className="min-w-52"
      >
        <option value="">All models</option>
        {models.map((model) => (
          <option key={model} value={model}>
            {model}
          </option>
        ))}
      </Select>
      <Select
        aria-label="Filter by status"
        value={params.get("status") ?? ""}
        onChange={(e) => set("status", e.target.value)}
        width="auto"
        className="min-w-36"
      >
        <option value="">All statuses</option>
        {GENERATION_STATUSES.map((status) => (
          <option key={status} value={status} className="capitalize">
            {status[0]?.toUpperCase()}
            {status.slice(1)}
          </option>
        ))}
      </Select>
      <Button
        variant="secondary"
        className="ml-auto"
        onClick={() => startTransition(() => router.refresh())}
        disabled={pending}
      >
        <RefreshIcon />
        {pending ? "Refreshing…" : "Refresh"}
      </Button>
    </div>
  );
}
