import { Badge } from "@junction/ui";
import { count, perMillion } from "@/lib/format";
import type { ServerApi } from "@/lib/trpc/server";

type CatalogModel = Awaited<ReturnType<ServerApi["models"]["list"]>>["models"][number];

function tokens(value: number | null): string {
  if (value === null) return "—";
  if (value >= 1_000_000) return `${Math.round(value / 100_000) / 10}M`;
  return value >= 1000 ? `${count(Math.round(value / 1000))}K` : count(value);
}

/** The price every token of a prompt over the long-context threshold is charged at, under the usual price. */
function LongContextPrice({ above, price }: { above: number | null; price: bigint | null }) {
  if (above === null || price === null) return null;
  return (
    <span
      className="block text-xs text-slate-500 dark:text-slate-400"
      title={`Every token of a request whose prompt is over ${count(above)} tokens`}
    >
      &gt;{tokens(above)}: {perMillion(price)}
    </span>
  );
}

/** One model: what it is, and every provider endpoint serving it with its prices per million tokens. */
export function ModelRow({ model }: { model: CatalogModel }) {
  return (
    <li
      className="grid grid-cols-1 gap-4 px-6 py-5 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]"
      data-testid="model-row"
    >
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <h3 className="font-semibold text-slate-900 dark:text-white">{model.name}</h3>
          {model.kind === "embedding" ? <Badge>Embeddings</Badge> : null}
          {model.id.startsWith("sandbox/") ? <Badge tone="accent">Sandbox</Badge> : null}
        </div>
        <p className="mt-0.5 font-mono text-xs text-slate-500 dark:text-slate-400">{model.id}</p>
        {model.description ? (
          <p className="mt-2 line-clamp-2 text-sm text-slate-600 dark:text-slate-400">{model.description}</p>
        ) : null}
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
          {tokens(model.contextLength ?? model.endpoints[0]?.contextLength ?? null)} context
        </p>
      </div>
      <table className="w-full self-start text-sm">
        <thead>
          <tr className="text-xs text-slate-500 dark:text-slate-400">
            <th className="pb-1.5 text-left font-medium">Provider</th>
            <th className="whitespace-nowrap pb-1.5 pl-3 text-right font-medium">Input / M</th>
            <th className="whitespace-nowrap pb-1.5 pl-3 text-right font-medium">Output / M</th>
            <th className="hidden whitespace-nowrap pb-1.5 pl-3 text-right font-medium sm:table-cell">
              Cached / M
            </th>
            <th className="hidden whitespace-nowrap pb-1.5 pl-3 text-right font-medium sm:table-cell">
              Context
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {model.endpoints.map((endpoint) => (
            <tr key={endpoint.id}>
              <td className="py-1.5 pr-2 text-slate-800 dark:text-slate-200">
                {endpoint.provider.name}
                {endpoint.status === "degraded" ? (
                  <Badge tone="warning" className="ml-2">
                    Degraded
                  </Badge>
                ) : null}
                {endpoint.available === false ? (
                  <Badge
                    className="ml-2"
                    title="No credentials for this provider here: add your own key in Settings"
                  >
                    Not configured
                  </Badge>
                ) : null}
              </td>
              <td className="py-1.5 pl-3 text-right whitespace-nowrap font-mono text-slate-900 dark:text-white tabular-nums">
                {perMillion(endpoint.inputPrice)}
                <LongContextPrice above={endpoint.longContextAbove} price={endpoint.longInputPrice} />
              </td>
              <td className="py-1.5 pl-3 text-right whitespace-nowrap font-mono text-slate-900 dark:text-white tabular-nums">
                {model.kind === "embedding" ? "—" : perMillion(endpoint.outputPrice)}
                <LongContextPrice above={endpoint.longContextAbove} price={endpoint.longOutputPrice} />
              </td>
              <td className="hidden py-1.5 text-right font-mono text-slate-500 dark:text-slate-400 tabular-nums sm:table-cell">
                {perMillion(endpoint.cachedInputPrice)}
              </td>
              <td className="hidden py-1.5 text-right text-slate-500 dark:text-slate-400 tabular-nums sm:table-cell">
                {tokens(endpoint.contextLength)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </li>
  );
}
