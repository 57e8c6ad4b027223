import { Card, CodeBlock } from "@junction/ui";
import { ReceiptIcon } from "@/components/icons";

/** The signed provenance receipt (canonical JSON + Ed25519 signature), when the gateway recorded one. */
export function ReceiptCard({ receipt, signature }: { receipt: unknown; signature: string | null }) {
  if (receipt === null || receipt === undefined) {
    return (
      <Card className="flex items-start gap-4">
        <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-slate-100 dark:bg-slate-800 text-slate-500 dark:text-slate-400">
          <ReceiptIcon />
        </span>
        <div>
          <h2 className="text-base font-semibold text-slate-900 dark:text-white">Receipt</h2>
          <p className="mt-1 text-sm leading-6 text-slate-600 dark:text-slate-400">
            No signed receipt was recorded for this request. Receipts appear here once the gateway signs them;
            the usage and cost above come from the request log itself.
          </p>
        </div>
      </Card>
    );
  }
  return (
    <div className="space-y-2">
      <div className="flex items-baseline justify-between">
        <h2 className="text-base font-semibold text-slate-900 dark:text-white">Receipt</h2>
        {signature ? (
          <p className="truncate pl-4 font-mono text-xs text-slate-500 dark:text-slate-400" title={signature}>
            ed25519 · {signature.slice(0, 16)}…
          </p>
        ) : null}
      </div>
      <CodeBlock code={JSON.stringify(receipt, null, 2)} language="json" title="receipt.json" />
    </div>
  );
}
