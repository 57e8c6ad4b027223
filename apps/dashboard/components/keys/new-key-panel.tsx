"use client";

import { CodeBlock, CopyButton, Tabs } from "@junction/ui";
import { keySnippets } from "@/lib/snippets";

/** The freshly created key, shown this once, with snippets that already contain it. */
export function NewKeyPanel({
  apiKey,
  name,
  gatewayUrl,
}: {
  apiKey: string;
  name: string;
  gatewayUrl: string;
}) {
  return (
    <div className="space-y-5">
      <div className="rounded-lg bg-amber-50 dark:bg-amber-950/40 px-4 py-3 text-sm text-amber-900 dark:text-amber-200 ring-1 ring-amber-200 dark:ring-amber-900">
        <p className="font-medium">Copy this key now. You will not see it again.</p>
        <p className="mt-0.5 text-amber-800 dark:text-amber-300">
          Junction stores only its SHA-256 hash. If you lose it, revoke it and create a new one.
        </p>
      </div>
      <div>
        <p className="text-sm font-medium text-slate-800 dark:text-slate-200">{name}</p>
        <div className="mt-1.5 flex items-center gap-2 rounded-lg border border-slate-300 dark:border-slate-700 bg-slate-50 dark:bg-slate-950 py-1.5 pr-1.5 pl-3 shadow-inner">
          <code
            className="min-w-0 flex-1 truncate font-mono text-sm text-slate-900 dark:text-white select-all"
            data-testid="new-api-key"
          >
            {apiKey}
          </code>
          <CopyButton
            value={apiKey}
            label="Copy key"
            tone="light"
            className="bg-white dark:bg-slate-900 ring-1 ring-slate-200 dark:ring-slate-700"
          />
        </div>
      </div>
      <div>
        <p className="mb-2 text-sm font-medium text-slate-800 dark:text-slate-200">Try it</p>
        <Tabs
          label="Snippet language"
          items={keySnippets(gatewayUrl, apiKey).map((snippet) => ({
            id: snippet.id,
            label: snippet.label,
            content: <CodeBlock code={snippet.code} language={snippet.language} title={snippet.title} />,
          }))}
        />
      </div>
    </div>
  );
}
