import type { ReactNode } from "react";
import { cn } from "./cn";

export interface StatProps {
  label: ReactNode;
  value: ReactNode;
  /** A short line under the value, e.g. a comparison or a unit. */
  detail?: ReactNode;
  /** Exact value for the tooltip when `value` is abbreviated. */
  title?: string;
  className?: string;
}

/** A headline number on a card (balance, spend, requests). */
export function Stat({ label, value, detail, title, className }: StatProps) {
  return (
    <div
      className={cn(
        "rounded-xl border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-5 shadow-sm shadow-slate-900/5",
        className,
      )}
    >
      <p className="text-sm font-medium text-slate-500 dark:text-slate-400">{label}</p>
      <p
        className="mt-2 truncate text-2xl font-semibold tracking-tight text-slate-900 dark:text-white tabular-nums"
        title={title}
      >
        {value}
      </p>
      {detail ? <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{detail}</p> : null}
    </div>
  );
}
