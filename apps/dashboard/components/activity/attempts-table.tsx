import { Badge, Card } from "@junction/ui";
import { duration } from "@/lib/format";

type Attempt = {
  endpoint: string;
  provider: string | null;
  status: string;
  errorClass: string | null;
  latencyMs: number | null;
};

/** Every upstream the gateway tried, in order (fallbacks included). */
export function AttemptsTable({ attempts }: { attempts: Attempt[] }) {
  return (
    <Card padding="none">
      <div className="border-b border-slate-100 dark:border-slate-800 px-6 py-4">
        <h2 className="text-base font-semibold text-slate-900 dark:text-white">Attempts</h2>
        <p className="mt-0.5 text-sm text-slate-500 dark:text-slate-400">
          Providers tried for this request, in order.
        </p>
      </div>
      {attempts.length ? (
        <ol className="divide-y divide-slate-100 dark:divide-slate-800">
          {attempts.map((attempt, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: attempts have no id; their order is fixed once recorded
            <li key={`${index}:${attempt.endpoint}`} className="flex items-center gap-4 px-6 py-3 text-sm">
              <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-slate-100 dark:bg-slate-800 text-xs font-semibold text-slate-600 dark:text-slate-400">
                {index + 1}
              </span>
              <div className="min-w-0 flex-1">
                <p className="truncate font-mono text-slate-900 dark:text-white">{attempt.endpoint}</p>
                <p className="text-xs text-slate-500 dark:text-slate-400">
                  {attempt.provider ?? "unknown provider"}
                  {attempt.errorClass ? ` · ${attempt.errorClass}` : ""}
                </p>
              </div>
              <Badge tone={attempt.status === "success" ? "success" : "danger"} className="capitalize">
                {attempt.status}
              </Badge>
              <span className="w-20 text-right text-slate-600 dark:text-slate-400 tabular-nums">
                {duration(attempt.latencyMs)}
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="px-6 py-4 text-sm text-slate-500 dark:text-slate-400">
          No provider was tried (the request was refused before routing).
        </p>
      )}
    </Card>
  );
}
