"use client";

import { GENERATION_STATUSES } from "@junction/api/schemas";
import { Button, Select } from "@junction/ui";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { type ReactNode, useTransition } from "react";
import { RefreshIcon } from "@/components/icons";

export interface ActivityFiltersProps {
  keys: { id: string; name: string; displayPrefix: string }[];
  models: string[];
}

interface FilterSelectProps {
  label: string;
  allLabel: string;
  className: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
}

/** One URL-backed filter: an "All …" option first, then the given options. */
function FilterSelect({ label, allLabel, className, value, onChange, children }: FilterSelectProps) {
  return (
    <Select
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      width="auto"
      className={className}
    >
      <option value="">{allLabel}</option>
      {children}
    </Select>
  );
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

  const filter = (name: string) => ({
    value: params.get(name) ?? "",
    onChange: (value: string) => set(name, value),
  });

  return (
    <div className="mb-4 flex flex-wrap items-center gap-3" data-pending={pending || undefined}>
      <FilterSelect label="Filter by API key" allLabel="All keys" className="min-w-44" {...filter("key")}>
        {keys.map((key) => (
          <option key={key.id} value={key.id}>
            {key.name} ({key.displayPrefix})
          </option>
        ))}
      </FilterSelect>
      <FilterSelect label="Filter by model" allLabel="All models" className="min-w-52" {...filter("model")}>
        {models.map((model) => (
          <option key={model} value={model}>
            {model}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect
        label="Filter by status"
        allLabel="All statuses"
        className="min-w-36"
        {...filter("status")}
      >
        {GENERATION_STATUSES.map((status) => (
          <option key={status} value={status} className="capitalize">
            {status[0]?.toUpperCase()}
            {status.slice(1)}
          </option>
        ))}
      </FilterSelect>
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
