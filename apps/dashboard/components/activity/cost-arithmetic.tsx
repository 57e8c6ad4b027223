import { Badge, Card } from "@junction/ui";
import { count, perMillion, usd } from "@/lib/format";
import type { ServerApi } from "@/lib/trpc/server";

type Detail = Awaited<ReturnType<ServerApi["activity"]["get"]>>;

/** The cost, term by term, from the price table version the request was billed at. */
export function CostArithmetic({ generation }: { generation: Detail }) {
  const arithmetic = generation.arithmetic;
  if (!arithmetic) {
    return (
      <Card>
        <h2 className="text-base font-semibold text-slate-900 dark:text-white">Cost</h2>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          {generation.endpointId
            ? "The price table this request was billed at is no longer available."
            : "No provider answered this request, so nothing was billed."}
        </p>
        <p className="mt-4 font-mono text-2xl font-semibold text-slate-900 dark:text-white">
          {usd(generation.cost)}
        </p>
      </Card>
    );
  }
  const { breakdown, prices } = arithmetic;
  const rows = [
    {
      label: "Prompt tokens (uncached)",
      tokens: breakdown.uncachedPromptTokens,
      price: prices.input,
      cost: breakdown.inputCost,
    },
    {
      label: "Cached prompt tokens",
      tokens: generation.cachedTokens,
      price: prices.cachedInput ?? prices.input,
      cost: breakdown.cachedInputCost,
    },
    {
      label: generation.cacheWrite1hTokens ? "Cache-write tokens (5 minutes)" : "Cache-write tokens",
      tokens: Math.max(0, generation.cacheWriteTokens - generation.cacheWrite1hTokens),
      price: prices.cacheWrite ?? prices.input,
      cost: breakdown.cacheWriteCost - breakdown.cacheWrite1hCost,
    },
    {
      label: "Cache-write tokens (1 hour)",
      tokens: generation.cacheWrite1hTokens,
      price: prices.cacheWrite1h ?? prices.cacheWrite ?? prices.input,
      cost: breakdown.cacheWrite1hCost,
    },
    {
      label: "Completion tokens",
      tokens: generation.completionTokens,
      price: prices.output,
      cost: breakdown.outputCost,
    },
  ].filter((row) => row.tokens > 0 || row.label.startsWith("Prompt") || row.label.startsWith("Completion"));

  return (
    <Card padding="none">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 dark:border-slate-800 px-4 py-4 sm:px-6">
        <div>
          <h2 className="text-base font-semibold text-slate-900 dark:text-white">Cost arithmetic</h2>
          <p className="mt-0.5 text-sm text-slate-500 dark:text-slate-400">
            Price table v{arithmetic.priceTableVersion} · prices in USD per million tokens
            {arithmetic.longContextAbove !== null &&
              ` · long-context prices: the prompt was over ${count(arithmetic.longContextAbove)} tokens`}
          </p>
        </div>
        {arithmetic.matchesRecordedCost ? (
          <Badge tone="success">Matches the amount charged</Badge>
        ) : (
          <Badge tone="warning">Differs from the amount charged</Badge>
        )}
      </div>
      {/* Scrolls sideways on narrow screens rather than widening the page. */}
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {rows.map((row) => (
              <tr key={row.label}>
                <td className="px-6 py-2.5 whitespace-nowrap text-slate-600 dark:text-slate-400">
                  {row.label}
                </td>
                <td className="px-2 py-2.5 text-right font-mono text-slate-700 dark:text-slate-300 tabular-nums">
                  {count(row.tokens)} × {perMillion(row.price)}/M
                </td>
                <td className="px-6 py-2.5 text-right font-mono text-slate-900 dark:text-white tabular-nums">
                  {usd(row.cost)}
                </td>
              </tr>
            ))}
            {prices.request ? (
              <tr>
                <td className="px-6 py-2.5 text-slate-600 dark:text-slate-400">Per-request fee</td>
                <td className="px-2 py-2.5" />
                <td className="px-6 py-2.5 text-right font-mono text-slate-900 dark:text-white">
                  {usd(breakdown.requestCost)}
                </td>
              </tr>
            ) : null}
          </tbody>
          <tfoot>
            <tr className="border-t border-slate-200 dark:border-slate-800 bg-slate-50 dark:bg-slate-950">
              <td className="px-6 py-3 font-medium text-slate-900 dark:text-white">Total</td>
              <td className="px-2 py-3 text-right text-xs text-slate-500 dark:text-slate-400">
                exact sum, rounded once (half-up)
              </td>
              <td
                className="px-6 py-3 text-right font-mono text-base font-semibold text-slate-900 dark:text-white"
                data-testid="detail-cost"
              >
                {usd(generation.cost)}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </Card>
  );
}
