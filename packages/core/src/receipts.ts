import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";

/**
 * Provenance receipts: a canonical JSON record of what happened to a request, signed with Ed25519. Canonical =
 * object keys sorted, no whitespace, bigints as decimal strings — so the same receipt always has the same bytes and
 * anyone with the public key can verify it offline.
 */
export type ReceiptAttempt = {
  endpoint: string;
  provider: string;
  status: string;
  errorClass?: string;
  latencyMs: number;
};

export type Receipt = {
  version: 1;
  generationId: string;
  organizationId: string;
  apiKeyId: string | null;
  requestedModel: string;
  servedModel: string | null;
  endpoint: string | null;
  provider: string | null;
  apiFormat: string;
  stream: boolean;
  status: string;
  attempts: ReceiptAttempt[];
  policy: { id: string; versionHash: string } | null;
  priceTableVersion: number;
  prices: Record<string, string | null> | null;
  usage: {
    promptTokens: number;
    completionTokens: number;
    cachedTokens: number;
    cacheWriteTokens: number;
    estimated: boolean;
  };
  cost: {
    inputNanoUsd: string;
    cachedInputNanoUsd: string;
    cacheWriteNanoUsd: string;
    outputNanoUsd: string;
    requestNanoUsd: string;
    totalNanoUsd: string;
    rounding: "half-up, once, to whole nano-USD";
  };
  /** BYOK: the provider bills the customer `upstreamTotalNanoUsd`; Junction's fee (`cost.totalNanoUsd`) is feeBps of it. */
  byok?: { upstreamTotalNanoUsd: string; feeBps: number };
  /** SHA-256 of the request and response bodies: proof of what was sent, without keeping it. */
  bodies?: { requestSha256: string; responseSha256: string };
  startedAt: string;
  completedAt: string;
};

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return JSON.stringify(value.toString());
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
}

export type ReceiptSigner = { sign(receipt: Receipt): string; publicKeyPem: string; keyId: string };

/** A signer from a PKCS#8 PEM (or base64 DER) Ed25519 private key. */
export function createReceiptSigner(privateKey: string | KeyObject): ReceiptSigner {
  const key =
    typeof privateKey === "string"
      ? privateKey.includes("BEGIN")
        ? createPrivateKey(privateKey)
        : createPrivateKey({ key: Buffer.from(privateKey, "base64"), format: "der", type: "pkcs8" })
      : privateKey;
  if (key.asymmetricKeyType !== "ed25519") throw new Error("receipt signing key must be Ed25519");
  const publicKey = createPublicKey(key);
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const der = publicKey.export({ type: "spki", format: "der" });
  return {
    publicKeyPem,
    keyId: `rk_${Buffer.from(der).subarray(-8).toString("hex")}`,
    sign: (receipt) => sign(null, Buffer.from(canonicalJson(receipt)), key).toString("base64"),
  };
}

/** Checks a receipt against its signature offline; any edit to the receipt fails. */
export function verifyReceipt(receipt: unknown, signature: string, publicKeyPem: string): boolean {
  try {
    return verify(
      null,
      Buffer.from(canonicalJson(receipt)),
      createPublicKey(publicKeyPem),
      Buffer.from(signature, "base64"),
    );
  } catch {
    return false;
  }
}
