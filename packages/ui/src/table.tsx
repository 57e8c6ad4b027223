import type { HTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "./cn";

/**
 * A bordered, horizontally scrollable table surface. `relative` keeps absolutely positioned descendants (the
 * sr-only labels of action columns) inside the scroll box; otherwise they widen the whole page on phones.
 */
export function Table({ className, ...props }: HTMLAttributes<HTMLTableElement>) {
  return (
    <div className="relative overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 shadow-sm">
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...props} />
    </div>
  );
}

export function THead({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return (
    <thead
      className={cn(
        "border-b border-slate-200 dark:border-slate-800 bg-slate-50/80 dark:bg-slate-950/60",
        className,
      )}
      {...props}
    />
  );
}

export function TBody({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cn("divide-y divide-slate-100 dark:divide-slate-800", className)} {...props} />;
}

export function TR({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return (
    <tr
      className={cn("transition-colors hover:bg-slate-50/70 dark:hover:bg-slate-800/40", className)}
      {...props}
    />
  );
}

export function TH({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={cn(
        "px-4 py-2.5 text-xs font-medium tracking-wide whitespace-nowrap text-slate-500 dark:text-slate-400 uppercase",
        className,
      )}
      {...props}
    />
  );
}

export function TD({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return (
    <td
      className={cn("px-4 py-3 align-middle whitespace-nowrap text-slate-700 dark:text-slate-300", className)}
      {...props}
    />
  );
}

export type TableColumn = string | { label: string; className?: string; srOnly?: boolean };

/** A header row from column labels; `srOnly` columns (e.g. row actions) are labelled for screen readers only. */
export function TableHeader({ columns }: { columns: readonly TableColumn[] }) {
  return (
    <THead>
      <tr>
        {columns.map((column) => {
          const { label, className, srOnly } = typeof column === "string" ? { label: column } : column;
          return (
            <TH key={label} className={className}>
              {srOnly ? <span className="sr-only">{label}</span> : label}
            </TH>
          );
        })}
      </tr>
    </THead>
  );
}
