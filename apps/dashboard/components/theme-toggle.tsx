"use client";

import { cn } from "@junction/ui";
import { useEffect, useState } from "react";
import { applyTheme, THEME_STORAGE_KEY } from "@/lib/theme";

type ThemeChoice = "system" | "light" | "dark";
const CHOICES: { id: ThemeChoice; label: string }[] = [
  { id: "system", label: "System" },
  { id: "light", label: "Light" },
  { id: "dark", label: "Dark" },
];

/** System / light / dark, remembered in localStorage (the head script applies it before the first paint). */
export function ThemeToggle({ className, tone = "dark" }: { className?: string; tone?: "dark" | "light" }) {
  const [choice, setChoice] = useState<ThemeChoice>("system");

  useEffect(() => {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    setChoice(stored === "light" || stored === "dark" ? stored : "system");
  }, []);

  function choose(next: ThemeChoice) {
    setChoice(next);
    if (next === "system") localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, next);
    applyTheme(THEME_STORAGE_KEY);
  }

  return (
    <fieldset
      className={cn(
        "flex items-center gap-1 rounded-lg p-0.5 ring-1",
        tone === "dark"
          ? "bg-white/5 ring-white/10"
          : "bg-slate-100 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700",
        className,
      )}
    >
      <legend className="sr-only">Colour theme</legend>
      {CHOICES.map((item) => (
        <label
          key={item.id}
          className={cn(
            "flex-1 cursor-pointer rounded-md px-2 py-1 text-center text-xs font-medium transition-colors",
            "has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-400",
            tone === "dark"
              ? choice === item.id
                ? "bg-white/15 text-white"
                : "text-slate-400 hover:text-white"
              : choice === item.id
                ? "bg-white text-slate-900 shadow-sm dark:bg-slate-950 dark:text-white"
                : "text-slate-500 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white",
          )}
        >
          <input
            type="radio"
            name="theme"
            value={item.id}
            checked={choice === item.id}
            onChange={() => choose(item.id)}
            className="sr-only"
          />
          {item.label}
        </label>
      ))}
    </fieldset>
  );
}
