import { cn } from "@junction/ui";
import Link from "next/link";

export type TabLink = { id: string; label: string; href: string };

/** A segmented control of links, so the choice lives in the URL and the page stays a server component. */
export function LinkTabs({ label, items, current }: { label: string; items: TabLink[]; current: string }) {
  return (
    <nav
      className="inline-flex max-w-full overflow-x-auto rounded-lg bg-slate-100 p-0.5 text-xs font-medium dark:bg-slate-800"
      aria-label={label}
    >
      {items.map((item) => (
        <Link
          key={item.id}
          href={item.href}
          scroll={false}
          aria-current={item.id === current ? "true" : undefined}
          className={cn(
            "shrink-0 rounded-md px-2.5 py-1 whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-indigo-500",
            item.id === current
              ? "bg-white text-slate-900 shadow-sm dark:bg-slate-950 dark:text-white"
              : "text-slate-500 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white",
          )}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
