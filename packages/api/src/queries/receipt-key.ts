import { verifyReceipt } from "@junction/core";

const TTL_MS = 5 * 60_000;
/** A failed fetch is remembered briefly, so a gateway that is down does not cost every page the 2 s timeout. */
const FAILED_TTL_MS = 30_000;
const cache = new Map<string, { pem: Promise<string | null>; expires: number }>();

async function fetchReceiptKey(gatewayUrl: string): Promise<string | null> {
  try {
    const response = await fetch(`${gatewayUrl}/.well-known/junction-receipt-key`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return null;
    const { public_key_pem: pem } = (await response.json()) as { public_key_pem?: unknown };
    return typeof pem === "string" ? pem : null;
  } catch {
    return null;
  }
}

/**
 * The gateway's published receipt key (`/.well-known/junction-receipt-key`), cached for a few minutes; pages that
 * ask while it is being fetched share the one request.
 */
function receiptPublicKey(gatewayUrl: string): Promise<string | null> {
  const cached = cache.get(gatewayUrl);
  if (cached && cached.expires > Date.now()) return cached.pem;
  const entry = { pem: fetchReceiptKey(gatewayUrl), expires: Date.now() + TTL_MS };
  cache.set(gatewayUrl, entry);
  void entry.pem.then((pem) => {
    if (pem === null) entry.expires = Date.now() + FAILED_TTL_MS;
  });
  return entry.pem;
}

/**
 * Checks a stored receipt the way a customer would: against the key the gateway publishes. `null` when there is
 * nothing to check or the key could not be fetched (the dashboard says so rather than guessing).
 */
export async function receiptVerified(
  gatewayUrl: string,
  receipt: unknown,
  signature: string | null,
): Promise<boolean | null> {
  if (receipt === null || receipt === undefined || !signature) return null;
  const pem = await receiptPublicKey(gatewayUrl);
  return pem === null ? null : verifyReceipt(receipt, signature, pem);
}
