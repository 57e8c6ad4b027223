import { Card, CodeBlock, CopyButton, Tabs } from "@junction/ui";
import { quickstartSnippets, sdkBaseUrls } from "@/lib/snippets";

/** Code to call this deployment's gateway; the key itself is set as JUNCTION_API_KEY. */
export function QuickstartCard({ gatewayUrl }: { gatewayUrl: string }) {
  const snippets = quickstartSnippets(gatewayUrl);
  const base = sdkBaseUrls(gatewayUrl);
  return (
    <Card padding="none">
      <div className="flex flex-wrap items-end justify-between gap-4 border-b border-slate-100 dark:border-slate-800 px-4 py-5 sm:px-6">
        <div>
          <h2 className="text-base font-semibold text-slate-900 dark:text-white">Quickstart</h2>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
            Export your key as{" "}
            <code className="rounded bg-slate-100 dark:bg-slate-800 px-1 py-0.5 font-mono text-xs">
              JUNCTION_API_KEY
            </code>
            , then run one of these.
          </p>
        </div>
        <div className="flex max-w-full min-w-0 items-center gap-2 rounded-lg border border-slate-200 dark:border-slate-800 bg-slate-50 dark:bg-slate-950 py-1 pr-1 pl-3">
          <span className="shrink-0 text-xs text-slate-500 dark:text-slate-400">Base URL</span>
          <code
            className="min-w-0 truncate font-mono text-sm text-slate-900 dark:text-white"
            data-testid="gateway-base-url"
          >
            {base.openai}
          </code>
          <CopyButton value={base.openai} tone="light" />
        </div>
      </div>
      <div className="p-4 sm:p-6">
        <Tabs
          label="Quickstart language"
          items={snippets.map((snippet) => ({
            id: snippet.id,
            label: snippet.label,
            content: <CodeBlock code={snippet.code} language={snippet.language} title={snippet.title} />,
          }))}
        />
      </div>
    </Card>
  );
}
