import { cn } from "./cn";
import { CopyButton } from "./copy-button";
import { type CodeLanguage, highlight, type TokenKind } from "./highlight";

const tokenClasses: Record<TokenKind, string> = {
  plain: "text-slate-200",
  comment: "text-slate-500 dark:text-slate-400 italic",
  string: "text-emerald-300",
  url: "text-sky-300",
  keyword: "text-violet-300",
  number: "text-amber-300",
  flag: "text-sky-300",
  variable: "text-amber-200",
};

export interface CodeBlockProps {
  code: string;
  language: CodeLanguage;
  /** Shown in the title bar, e.g. a file name. */
  title?: string;
  copyable?: boolean;
  className?: string;
}

export function CodeBlock({ code, language, title, copyable = true, className }: CodeBlockProps) {
  const tokens = highlight(code, language);
  return (
    <figure
      className={cn(
        "overflow-hidden rounded-xl bg-slate-950 shadow-xl shadow-slate-950/20 ring-1 ring-white/10",
        className,
      )}
    >
      {title || copyable ? (
        <figcaption className="flex h-10 items-center justify-between gap-4 border-b border-white/10 bg-white/[0.03] pr-2 pl-4">
          <span className="truncate font-mono text-xs text-slate-400">{title}</span>
          {copyable ? <CopyButton value={code} /> : null}
        </figcaption>
      ) : null}
      <pre className="overflow-x-auto p-4 text-[13px] leading-6">
        <code data-language={language} className="font-mono">
          {tokens.map((token) => (
            <span key={token.start} className={tokenClasses[token.kind]}>
              {token.text}
            </span>
          ))}
        </code>
      </pre>
    </figure>
  );
}
