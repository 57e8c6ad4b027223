import { verifyReceipt } from "@junction/core";

const TTL_MS = 5 * 60_000;
const cache = new Map<string, { pem: string; expires: number }>();

/** The gateway's published receipt key (`/.well-known/junction-receipt-key`), cached for a few minutes. */
async function receiptPublicKey(gatewayUrl: string): Promise<string | null> {
  const cached = cache.get(gatewayUrl);
  if (cached && cached.expires > Date.now()) return cached.pem;
  try {
    const response = await fetch(`${gatewayUrl}/.well-known/junction-receipt-key`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return null;
    const { public_key_pem: pem } = (await response.json()) as { public_key_pem?: unknown };
    if (typeof pem !== "string") return null;
    cache.set(gatewayUrl, { pem, expires: Date.now() + TTL_MS });
    return pem;
  } catch {
    return null;
  }
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
