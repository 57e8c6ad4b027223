import { Fragment } from "react";

/** Text from the spec with `backticks` rendered as inline code (the only markup the gateway's docs use). */
export function InlineText({ text }: { text: string }) {
  const parts = text.split(/(`[^`]+`)/g);
  return (
    <>
      {parts.map((part, index) =>
        part.startsWith("`") && part.endsWith("`") && part.length > 2 ? (
          <code
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one static string never reorder
            key={index}
            className="rounded bg-slate-100 dark:bg-slate-800 px-1 py-0.5 font-mono text-[0.85em] text-slate-800 dark:text-slate-200"
          >
            {part.slice(1, -1)}
          </code>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one static string never reorder
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}
