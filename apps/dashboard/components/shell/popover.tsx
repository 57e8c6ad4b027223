"use client";

import { cn } from "@junction/ui";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

export interface PopoverProps {
  /** The trigger's content; it becomes a button that toggles the panel. */
  trigger: (state: { open: boolean }) => ReactNode;
  triggerClassName?: string;
  triggerLabel?: string;
  /** Panel content; `close` dismisses it (e.g. after choosing an item). */
  children: (close: () => void) => ReactNode;
  placement?: "below" | "above";
  panelClassName?: string;
}

/** A button with a floating panel: closes on Escape, on outside clicks, and when an item asks it to. */
export function Popover({
  trigger,
  triggerClassName,
  triggerLabel,
  children,
  placement = "below",
  panelClassName,
}: PopoverProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={triggerLabel}
        onClick={() => setOpen((value) => !value)}
        className={triggerClassName}
      >
        {trigger({ open })}
      </button>
      {open ? (
        <div
          id={panelId}
          className={cn(
            "absolute z-50 min-w-full overflow-hidden rounded-xl bg-white dark:bg-slate-900 py-1.5 text-slate-900 dark:text-white shadow-xl ring-1 ring-slate-900/10 dark:ring-white/10",
            placement === "above" ? "bottom-full mb-2" : "top-full mt-2",
            panelClassName,
          )}
        >
          {children(() => setOpen(false))}
        </div>
      ) : null}
    </div>
  );
}

export function PopoverItem({
  onSelect,
  children,
  className,
}: {
  onSelect: () => void;
  children: ReactNode;
  className?: string;
}) {
  return (
    <button
      type="button"
      onClick={onSelect}
      className={cn(
        "flex w-full items-center gap-2.5 px-3 py-2 text-left text-sm text-slate-700 dark:text-slate-300 hover:bg-slate-50 dark:hover:bg-slate-800 hover:text-slate-900 dark:hover:text-white",
        className,
      )}
    >
      {children}
    </button>
  );
}
