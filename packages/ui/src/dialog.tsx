"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";
import { cn } from "./cn";

export interface DialogProps {
  open: boolean;
  /** Called when the user dismisses the dialog (Escape, the backdrop, or a close control). */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Action buttons, right-aligned under the content. */
  footer?: ReactNode;
  size?: "md" | "lg";
  /** Keep the dialog open on Escape/backdrop clicks (e.g. while showing a secret that must be copied first). */
  dismissible?: boolean;
}

/** A modal on the native <dialog> element: focus trapping, Escape and the top layer come from the browser. */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = "md",
  dismissible = true,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click only catches the backdrop; Escape arrives as `cancel`
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        if (dismissible) onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> element itself.
        if (dismissible && event.target === event.currentTarget) onClose();
      }}
      className={cn(
        "m-auto w-[calc(100%-2rem)] rounded-2xl bg-white dark:bg-slate-900 p-0 text-left whitespace-normal text-slate-900 dark:text-white shadow-2xl ring-1 ring-slate-900/10 dark:ring-white/10",
        "backdrop:bg-slate-950/60 backdrop:backdrop-blur-[2px]",
        size === "lg" ? "max-w-2xl" : "max-w-lg",
      )}
    >
      {open ? (
        <div className="flex max-h-[85dvh] flex-col">
          <div className="border-b border-slate-100 dark:border-slate-800 px-6 pt-5 pb-4">
            <h2 id={titleId} className="text-lg font-semibold tracking-tight text-slate-900 dark:text-white">
              {title}
            </h2>
            {description ? (
              <p id={descriptionId} className="mt-1 text-sm leading-6 text-slate-600 dark:text-slate-400">
                {description}
              </p>
            ) : null}
          </div>
          <div className="overflow-y-auto px-6 py-5">{children}</div>
          {footer ? (
            <div className="flex flex-wrap justify-end gap-2 rounded-b-2xl border-t border-slate-100 dark:border-slate-800 bg-slate-50 dark:bg-slate-950 px-6 py-3">
              {footer}
            </div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}
