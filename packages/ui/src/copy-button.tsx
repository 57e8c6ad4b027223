"use client";

import { useEffect, useState } from "react";
import { cn } from "./cn";

export interface CopyButtonProps {
  value: string;
  label?: string;
  /** Colours for a dark (code block) or light surface. */
  tone?: "dark" | "light";
  className?: string;
}

type CopyState = "idle" | "copied" | "failed";

export function CopyButton({ value, label = "Copy", tone = "dark", className }: CopyButtonProps) {
  const [state, setState] = useState<CopyState>("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 1600);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      // Throws when the Clipboard API is unavailable (e.g. plain http on a non-localhost origin).
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  }

  return (
    <button
      type="button"
      onClick={() => void copy()}
      aria-live="polite"
      className={cn(
        "inline-flex h-7 shrink-0 items-center gap-1.5 rounded-md px-2 text-xs font-medium transition-colors",
        "focus-visible:outline-2 focus-visible:outline-indigo-400",
        tone === "dark"
          ? "text-slate-400 hover:bg-white/10 hover:text-white"
          : "text-slate-500 dark:text-slate-400 hover:bg-slate-100 dark:hover:bg-slate-800 hover:text-slate-900 dark:hover:text-white",
        className,
      )}
    >
      <svg
        viewBox="0 0 16 16"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        className="size-3.5"
        aria-hidden="true"
      >
        {state === "copied" ? (
          <path d="m3.5 8.5 3 3 6-7" strokeLinecap="round" strokeLinejoin="round" />
        ) : (
          <>
            <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
            <path d="M10.5 5.5v-2a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h2" />
          </>
        )}
      </svg>
      {state === "copied" ? "Copied" : state === "failed" ? "Select to copy" : label}
    </button>
  );
}
