import type { HTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";

export interface CardProps extends HTMLAttributes<HTMLDivElement> {
  /** `none` for cards whose sections bring their own padding (headers with dividers, tables). */
  padding?: "default" | "none";
}

export function Card({ className, padding = "default", ...props }: CardProps) {
  return (
    <div
      className={cn(
        "rounded-2xl border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 shadow-sm shadow-slate-900/5",
        padding === "default" && "p-4 sm:p-6",
        className,
      )}
      {...props}
    />
  );
}

export interface CardHeaderProps {
  icon?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
}

export function CardHeader({ icon, title, description }: CardHeaderProps) {
  return (
    <div>
      {icon ? (
        <div className="mb-4 flex size-10 items-center justify-center rounded-lg bg-indigo-50 dark:bg-indigo-950/50 text-indigo-600 dark:text-indigo-400 ring-1 ring-indigo-100 dark:ring-indigo-900">
          {icon}
        </div>
      ) : null}
      <h3 className="text-base font-semibold text-slate-900 dark:text-white">{title}</h3>
      {description ? (
        <p className="mt-2 text-sm leading-6 text-slate-600 dark:text-slate-400">{description}</p>
      ) : null}
    </div>
  );
}
