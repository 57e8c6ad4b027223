import { cn } from "@junction/ui";
import Link from "next/link";

/** A segmented control of links (?range=7|30|90), so the range is in the URL and the page stays a server component. */
export function RangeTabs({
  current,
  ranges,
  basePath,
}: {
  current: number;
  ranges: readonly number[];
  basePath: string;
}) {
  return (
    <nav className="inline-flex rounded-lg bg-slate-100 p-0.5 text-xs font-medium" aria-label="Date range">
      {ranges.map((range) => (
        <Link
          key={range}
          href={`${basePath}?range=${range}`}
          scroll={false}
          aria-current={range === current ? "true" : undefined}
          className={cn(
            "rounded-md px-2.5 py-1 transition-colors",
            range === current ? "bg-white text-slate-900 shadow-sm" : "text-slate-500 hover:text-slate-900",
          )}
        >
          {range}d
        </Link>
      ))}
    </nav>
  );
}
