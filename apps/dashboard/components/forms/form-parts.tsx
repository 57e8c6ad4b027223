import { Button } from "@junction/ui";
import type { ReactNode } from "react";

/** The form-level error (one that belongs to no single field), announced as an alert. */
export function FormError({ message }: { message?: string | undefined }) {
  return message ? (
    <p
      role="alert"
      className="rounded-lg bg-rose-50 dark:bg-rose-950/40 px-3 py-2 text-sm text-rose-700 dark:text-rose-300 ring-1 ring-rose-200 dark:ring-rose-900"
    >
      {message}
    </p>
  ) : null;
}

export interface SaveRowProps {
  /** A success message shown next to the button (role="status"). */
  status?: string | undefined;
  pending: boolean;
  label: ReactNode;
  pendingLabel: ReactNode;
  className: string;
}

/** A submit button with the last save's outcome beside it. */
export function SaveRow({ status, pending, label, pendingLabel, className }: SaveRowProps) {
  return (
    <div className={className}>
      {status ? (
        <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {status}
        </span>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? pendingLabel : label}
      </Button>
    </div>
  );
}
