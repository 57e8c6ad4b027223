import { cn } from "@junction/ui";

export function LogoMark({ className }: { className?: string }) {
  // Two routes merging into one: the gateway.
  return (
    <svg viewBox="0 0 32 32" className={cn("size-7", className)} aria-hidden="true">
      <rect width="32" height="32" rx="8" className="fill-indigo-600" />
      <path
        d="M9 8.5c0 5 7 5.5 7 10.5M23 8.5c0 5-7 5.5-7 10.5v4.5"
        fill="none"
        stroke="white"
        strokeWidth="2.6"
        strokeLinecap="round"
      />
      <circle cx="16" cy="23.5" r="2.2" fill="white" />
    </svg>
  );
}

export function Logo({ tone = "light" }: { tone?: "light" | "dark" }) {
  return (
    <span className="inline-flex items-center gap-2.5">
      <LogoMark />
      <span
        className={cn(
          "text-lg font-semibold tracking-tight",
          tone === "light" ? "text-white" : "text-slate-900 dark:text-white",
        )}
      >
        Junction
      </span>
    </span>
  );
}
