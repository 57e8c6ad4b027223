import { Card, CodeBlock } from "@junction/ui";
import { ReceiptIcon } from "@/components/icons";

/** The signed provenance receipt (canonical JSON + Ed25519 signature), when the gateway recorded one. */
export function ReceiptCard({
  refused,
  receipt,
  signature,
  signatureValid,
}: {
  /** Refused before any provider was tried: there is nothing to attest. */
  refused: boolean;
  receipt: unknown;
  signature: string | null;
  /** Checked against the gateway's published key; null when it could not be fetched. */
  signatureValid: boolean | null;
}) {
  if (receipt === null || receipt === undefined) {
    return (
      <Card className="flex items-start gap-4">
        <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-slate-100 dark:bg-slate-800 text-slate-500 dark:text-slate-400">
          <ReceiptIcon />
        </span>
        <div>
          <h2 className="text-base font-semibold text-slate-900 dark:text-white">Receipt</h2>
          <p className="mt-1 text-sm leading-6 text-slate-600 dark:text-slate-400">
            {refused
              ? "This request was refused before any provider was tried, so nothing was served or billed and there is no receipt to sign."
              : "No signed receipt was recorded for this request. Receipts appear here once the gateway signs them; the usage and cost above come from the request log itself."}
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
          <p className="flex min-w-0 items-center gap-2 pl-4 text-xs">
            <SignatureStatus valid={signatureValid} />
            <span className="truncate font-mono text-slate-500 dark:text-slate-400" title={signature}>
              ed25519{signature.startsWith("m1.") ? " · batch" : ""} ·{" "}
              {signature.replace(/^m1\./, "").slice(0, 12)}…
            </span>
          </p>
        ) : null}
      </div>
      <CodeBlock code={JSON.stringify(receipt, null, 2)} language="json" title="receipt.json" />
    </div>
  );
}

function SignatureStatus({ valid }: { valid: boolean | null }) {
  if (valid === true)
    return (
      <span data-testid="receipt-verified" className="font-medium text-emerald-700 dark:text-emerald-400">
        ✓ Signature verified
      </span>
    );
  if (valid === false)
    return <span className="font-medium text-red-700 dark:text-red-400">✗ Signature does not match</span>;
  return (
    <span className="text-slate-500 dark:text-slate-400">
      Signature not checked (gateway key unavailable)
    </span>
  );
}
