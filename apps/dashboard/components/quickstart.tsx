import { CodeBlock, CopyButton, Tabs } from "@junction/ui";
import { quickstartSnippets, sdkBaseUrls } from "@/lib/snippets";

const steps = [
  {
    title: "Create an account and an API key",
    body: "Keys start with jk_live_ and are shown once; Junction stores only their SHA-256 hash.",
  },
  {
    title: "Point your SDK at Junction",
    body: "Keep the official openai or @anthropic-ai/sdk client. Change the base URL and the key, nothing else.",
  },
  {
    title: "Send your first request",
    body: "The built-in sandbox provider answers with real token counts and real prices, no provider keys needed.",
  },
] as const;

export function Quickstart({ gatewayUrl }: { gatewayUrl: string }) {
  const snippets = quickstartSnippets(gatewayUrl);
  const baseUrls = sdkBaseUrls(gatewayUrl);
  const endpoints = [
    { label: "OpenAI base URL", value: baseUrls.openai },
    { label: "Anthropic base URL", value: baseUrls.anthropic },
  ];

  return (
    <div className="grid grid-cols-1 gap-12 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)] lg:gap-16">
      <div>
        <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">Quickstart</p>
        <h2 className="mt-2 text-3xl font-semibold tracking-tight text-slate-900 dark:text-white sm:text-4xl">
          Change one URL. Keep your SDK.
        </h2>
        <p className="mt-4 text-base leading-7 text-slate-600 dark:text-slate-400">
          Junction speaks the OpenAI and Anthropic wire formats, so existing code, streaming and tool calls
          keep working.
        </p>
        <ol className="mt-8 space-y-6">
          {steps.map((step, index) => (
            <li key={step.title} className="flex gap-4">
              <span className="flex size-7 shrink-0 items-center justify-center rounded-full bg-indigo-600 text-sm font-semibold text-white">
                {index + 1}
              </span>
              <div>
                <h3 className="font-semibold text-slate-900 dark:text-white">{step.title}</h3>
                <p className="mt-1 text-sm leading-6 text-slate-600 dark:text-slate-400">{step.body}</p>
              </div>
            </li>
          ))}
        </ol>
      </div>
      <div>
        <Tabs
          label="Quickstart language"
          items={snippets.map((snippet) => ({
            id: snippet.id,
            label: snippet.label,
            content: <CodeBlock code={snippet.code} language={snippet.language} title={snippet.title} />,
          }))}
        />
        <dl className="mt-4 grid divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 shadow-sm">
          {endpoints.map((endpoint) => (
            <div key={endpoint.label} className="flex items-center justify-between gap-4 px-4 py-3">
              <div className="min-w-0">
                <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{endpoint.label}</dt>
                <dd
                  className="mt-0.5 truncate font-mono text-sm text-slate-900 dark:text-white"
                  data-testid="endpoint-url"
                >
                  {endpoint.value}
                </dd>
              </div>
              <CopyButton value={endpoint.value} tone="light" />
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
