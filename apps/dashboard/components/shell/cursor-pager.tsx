import { buttonClasses } from "@junction/ui";
import Link from "next/link";

/**
 * Paging for a list read newest first, one cursor at a time: "Back to latest" once past the first page, "Older →"
 * while there is more. Each link is shown only when given.
 */
export function CursorPager({
  label,
  latestHref,
  olderHref,
}: {
  label?: string;
  latestHref?: string | undefined;
  olderHref?: string | undefined;
}) {
  return (
    <div
      className={`mt-4 flex items-center text-sm text-slate-500 dark:text-slate-400 ${label ? "justify-between" : "justify-end"}`}
    >
      {label ? <span>{label}</span> : null}
      <div className="flex gap-2">
        {latestHref ? (
          <Link href={latestHref} className={buttonClasses({ variant: "secondary", size: "sm" })}>
            Back to latest
          </Link>
        ) : null}
        {olderHref ? (
          <Link href={olderHref} className={buttonClasses({ variant: "secondary", size: "sm" })}>
            Older →
          </Link>
        ) : null}
      </div>
    </div>
  );
}
