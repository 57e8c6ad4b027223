import { createPrivateKey, createPublicKey, hash, type KeyObject, sign, verify } from "node:crypto";

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
  /**
   * The prices the request was charged at: a long-context tier's when the prompt was over its threshold
   * (`longContextAbovePromptTokens` then says which, else null); a price the endpoint does not have is null.
   */
  prices: Record<string, string | null> | null;
  usage: {
    promptTokens: number;
    completionTokens: number;
    cachedTokens: number;
    cacheWriteTokens: number;
    /** Of cacheWriteTokens, those written to a one-hour cache. */
    cacheWrite1hTokens: number;
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
  // Most values (receipts among them) are built with their keys in order: the native serializer gives the same bytes.
  if (stringifiesCanonically(value)) return JSON.stringify(value);
  return canonicalText(value);
}

function canonicalText(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return JSON.stringify(value.toString());
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + canonicalText(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, like `<` on strings.
  const keys = Object.keys(record).sort();
  let out = "{";
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalText(item)}`;
  }
  return `${out}}`;
}

/**
 * True when `JSON.stringify(value)` is already canonical: every object plain, with its keys in sorted order, and no
 * bigint (which JSON.stringify rejects), top-level undefined, function, symbol or `toJSON` anywhere.
 */
export function stringifiesCanonically(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (Array.isArray(value)) {
    for (const item of value) if (item !== undefined && !stringifiesCanonically(item)) return false;
    return true;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  const record = value as Record<string, unknown>;
  let previous: string | undefined;
  for (const key of Object.keys(record)) {
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    const item = record[key];
    if (item !== undefined && !stringifiesCanonically(item)) return false;
  }
  return true;
}

export type ReceiptSigner = {
  sign(receipt: Receipt): string;
  /** Signs many receipts with one Ed25519 signature over their Merkle root (one receipt: a plain signature). */
  signBatch(receipts: Receipt[]): string[];
  /** `signBatch` over the receipts' canonical JSON (`canonicalJson` of each), for a caller that keeps the text. */
  signBatchJson(texts: string[]): string[];
  publicKeyPem: string;
  keyId: string;
};

/**
 * Batch signatures: `m1.<signature of the root>.<proof>`, where the proof lists the sibling hashes from the
 * receipt's leaf up to the root, each prefixed `l` (sibling on the left) or `r` (on the right). Leaves and nodes
 * are domain-separated SHA-256 (0x00 ‖ canonical receipt, 0x01 ‖ left ‖ right); an odd node is carried up as is.
 * The signed message is `junction-receipt-batch-v1:` followed by the root in hex.
 */
const BATCH_PREFIX = "m1.";
// One-shot hashing (crypto.hash) costs half of a createHash object per call. "\u0000" is the single byte 0x00 in UTF-8.
const leafHash = (canonical: string) => hash("sha256", `\u0000${canonical}`, "buffer");
const NODE = Buffer.from([1]);
const nodeHash = (left: Buffer, right: Buffer) =>
  hash("sha256", Buffer.concat([NODE, left, right]), "buffer");
const rootMessage = (root: Buffer) => Buffer.from(`junction-receipt-batch-v1:${root.toString("hex")}`);

function merkleProofs(leaves: Buffer[]): { root: Buffer; proofs: string[][] } {
  const proofs: string[][] = leaves.map(() => []);
  // members[i]: the leaf indexes under node i of the current level.
  let level = leaves;
  let members = leaves.map((_, index) => [index]);
  while (level.length > 1) {
    const next: Buffer[] = [];
    const nextMembers: number[][] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Buffer;
      const right = level[i + 1];
      const leftMembers = members[i] as number[];
      if (!right) {
        next.push(left);
        nextMembers.push(leftMembers);
        continue;
      }
      const rightMembers = members[i + 1] as number[];
      const rightStep = `r${right.toString("hex")}`;
      const leftStep = `l${left.toString("hex")}`;
      for (const leaf of leftMembers) proofs[leaf]?.push(rightStep);
      for (const leaf of rightMembers) proofs[leaf]?.push(leftStep);
      next.push(nodeHash(left, right));
      nextMembers.push([...leftMembers, ...rightMembers]);
    }
    level = next;
    members = nextMembers;
  }
  return { root: level[0] as Buffer, proofs };
}

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
    sign: (receipt) => signText(canonicalJson(receipt)),
    signBatch: (receipts) => signBatchJson(receipts.map(canonicalJson)),
    signBatchJson,
  };

  function signText(canonical: string): string {
    return sign(null, Buffer.from(canonical), key).toString("base64");
  }

  function signBatchJson(texts: string[]): string[] {
    if (texts.length <= 1) return texts.map(signText);
    const { root, proofs } = merkleProofs(texts.map(leafHash));
    const signature = sign(null, rootMessage(root), key).toString("base64");
    return proofs.map((proof) => `${BATCH_PREFIX}${signature}.${proof.join(".")}`);
  }
}

function verifyBatch(receipt: unknown, signature: string, publicKey: KeyObject): boolean {
  const [rootSignature, ...proof] = signature.slice(BATCH_PREFIX.length).split(".");
  let node = leafHash(canonicalJson(receipt));
  for (const step of proof) {
    const sibling = Buffer.from(step.slice(1), "hex");
    if (sibling.length !== 32 || (step[0] !== "l" && step[0] !== "r")) return false;
    node = step[0] === "l" ? nodeHash(sibling, node) : nodeHash(node, sibling);
  }
  return verify(null, rootMessage(node), publicKey, Buffer.from(rootSignature ?? "", "base64"));
}

/** Checks a receipt against its signature offline; any edit to the receipt fails. */
export function verifyReceipt(receipt: unknown, signature: string, publicKeyPem: string): boolean {
  try {
    if (signature.startsWith(BATCH_PREFIX))
      return verifyBatch(receipt, signature, createPublicKey(publicKeyPem));
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
