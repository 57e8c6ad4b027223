import { Badge } from "@junction/ui";
import { QUICKSTART_MODEL } from "@/lib/snippets";

// Illustrative numbers: 12 prompt tokens at $0.10/M + 48 completion tokens at $0.40/M = 20,400 nano-USD.
const rows = [
  { term: "Requested", value: QUICKSTART_MODEL },
  { term: "Served by", value: "sandbox · 1 attempt · 212 ms" },
  { term: "Tokens", value: "12 prompt · 48 completion" },
  { term: "Arithmetic", value: "12 × $0.10/M + 48 × $0.40/M" },
] as const;

export function ReceiptPreview() {
  return (
    <figure className="relative rounded-2xl bg-white/[0.04] p-1.5 shadow-2xl shadow-indigo-950/50 ring-1 ring-white/10">
      <div className="rounded-xl bg-slate-900/90 ring-1 ring-white/10">
        <div className="flex items-center justify-between gap-4 border-b border-white/10 px-5 py-4">
          <div className="min-w-0">
            <p className="text-xs font-medium tracking-wide text-slate-400 uppercase">Receipt</p>
            <p className="mt-1 truncate font-mono text-sm text-white">gen_01JDQ8M4Z7X3V9K2RP</p>
          </div>
          <Badge tone="success" className="shrink-0">
            <svg
              viewBox="0 0 16 16"
              className="size-3.5"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              aria-hidden="true"
            >
              <path d="m3.5 8.5 3 3 6-7" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            Signature valid
          </Badge>
        </div>
        <dl className="space-y-3 px-5 py-4 text-xs sm:text-sm">
          {rows.map((row) => (
            <div key={row.term} className="flex justify-between gap-6">
              <dt className="text-slate-400">{row.term}</dt>
              <dd className="truncate text-right font-mono text-slate-200">{row.value}</dd>
            </div>
          ))}
        </dl>
        <div className="flex items-end justify-between gap-6 border-t border-white/10 px-5 py-4">
          <div>
            <p className="text-xs text-slate-400">Charged</p>
            <p className="mt-1 font-mono text-2xl font-semibold text-white">$0.0000204</p>
          </div>
          <p className="text-right font-mono text-xs text-emerald-300">
            20,400 nano-USD
            <br />
            <span className="text-slate-500 dark:text-slate-400">exact, no floats</span>
          </p>
        </div>
        <div className="rounded-b-xl border-t border-white/10 bg-black/20 px-5 py-3 font-mono text-xs text-slate-500 dark:text-slate-400">
          ed25519 · 9f2c4be1…d741ab · verify offline
        </div>
      </div>
      <figcaption className="sr-only">Example of a signed Junction receipt</figcaption>
    </figure>
  );
}
