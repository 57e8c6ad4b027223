"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { seriesColor } from "./series-colors";

export type CostChartDay = {
  label: string;
  /** Cost per series in USD, for bar geometry only; the text shown is `display`. */
  values: Record<string, number>;
  /** Exact amounts formatted on the server from nano-USD. */
  display: Record<string, string>;
  total: string;
  requests: number;
};

function axisUsd(value: number): string {
  if (value === 0) return "$0";
  if (value >= 1) return `$${value.toFixed(value >= 100 ? 0 : 2)}`;
  return `$${value.toPrecision(2)}`;
}

function ChartTooltip({
  active,
  payload,
  label,
  series,
}: TooltipContentProps<ValueType, NameType> & { series: { id: string; label: string }[] }) {
  const day = payload?.[0]?.payload as CostChartDay | undefined;
  if (!active || !day) return null;
  return (
    <div className="min-w-56 rounded-lg bg-white dark:bg-slate-900 px-3 py-2.5 text-xs shadow-lg ring-1 ring-slate-900/10 dark:ring-white/10">
      <p className="font-medium text-slate-900 dark:text-white">{label}</p>
      <ul className="mt-2 space-y-1">
        {series.map(({ id, label: name }, index) =>
          day.values[id] ? (
            <li key={id} className="flex items-center justify-between gap-4">
              <span className="flex min-w-0 items-center gap-1.5 text-slate-600 dark:text-slate-400">
                <span
                  className="size-2 shrink-0 rounded-sm"
                  style={{ backgroundColor: seriesColor(index, id) }}
                />
                <span className="truncate">{name}</span>
              </span>
              <span className="font-mono text-slate-900 dark:text-white">{day.display[id]}</span>
            </li>
          ) : null,
        )}
      </ul>
      <p className="mt-2 flex justify-between border-t border-slate-100 dark:border-slate-800 pt-2 text-slate-500 dark:text-slate-400">
        <span>
          {day.requests} request{day.requests === 1 ? "" : "s"}
        </span>
        <span className="font-mono font-medium text-slate-900 dark:text-white">{day.total}</span>
      </p>
    </div>
  );
}

/** Spend per bucket stacked by series (recharts; animation off so screenshots are deterministic). */
export function CostChart({
  days,
  series,
}: {
  days: CostChartDay[];
  series: { id: string; label: string }[];
}) {
  return (
    <div className="h-72 w-full" data-testid="cost-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap="20%">
          <CartesianGrid vertical={false} stroke="var(--chart-grid)" />
          <XAxis
            dataKey="label"
            tickLine={false}
            axisLine={false}
            tick={{ fill: "var(--chart-tick)", fontSize: 12 }}
            minTickGap={16}
          />
          <YAxis
            tickLine={false}
            axisLine={false}
            tick={{ fill: "var(--chart-tick)", fontSize: 12 }}
            tickFormatter={axisUsd}
            width={80}
          />
          <Tooltip
            cursor={{ fill: "var(--chart-cursor)" }}
            content={(props) => <ChartTooltip {...props} series={series} />}
          />
          {series.map(({ id, label }, index) => (
            <Bar
              key={id}
              name={label}
              // A function, not a string: model ids contain dots, which recharts would read as a path.
              dataKey={(day: CostChartDay) => day.values[id] ?? 0}
              stackId="cost"
              fill={seriesColor(index, id)}
              isAnimationActive={false}
              radius={index === series.length - 1 ? [3, 3, 0, 0] : 0}
              maxBarSize={36}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
