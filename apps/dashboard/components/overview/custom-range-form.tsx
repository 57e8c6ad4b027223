import { Button } from "@junction/ui";

const inputClass =
  "h-8 rounded-md border border-slate-300 bg-white px-2 text-xs text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-slate-700 dark:bg-slate-900 dark:text-white";

/** Custom UTC days for the chart: a plain GET form, so it works without JavaScript and keeps the URL shareable. */
export function CustomRangeForm({ groupBy, from, to }: { groupBy: string; from: string; to: string }) {
  return (
    <form method="get" action="/overview" className="flex flex-wrap items-end gap-2 text-xs">
      <input type="hidden" name="range" value="custom" />
      <input type="hidden" name="by" value={groupBy} />
      <label className="flex flex-col gap-1 text-slate-600 dark:text-slate-400">
        From (UTC)
        <input type="date" name="from" defaultValue={from} required className={inputClass} />
      </label>
      <label className="flex flex-col gap-1 text-slate-600 dark:text-slate-400">
        To (UTC)
        <input type="date" name="to" defaultValue={to} required className={inputClass} />
      </label>
      <Button type="submit" size="sm" variant="secondary">
        Show
      </Button>
    </form>
  );
}
