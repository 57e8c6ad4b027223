import type { HTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";

export function Card({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return (
    <div
      className={cn(
        "rounded-2xl border border-slate-200 bg-white p-6 shadow-sm shadow-slate-900/5",
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
        <div className="mb-4 flex size-10 items-center justify-center rounded-lg bg-indigo-50 text-indigo-600 ring-1 ring-indigo-100">
          {icon}
        </div>
      ) : null}
      <h3 className="text-base font-semibold text-slate-900">{title}</h3>
      {description ? <p className="mt-2 text-sm leading-6 text-slate-600">{description}</p> : null}
    </div>
  );
}
