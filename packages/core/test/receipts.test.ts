import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  createReceiptSigner,
  type Receipt,
  stringifiesCanonically,
  verifyReceipt,
} from "../src/receipts.js";

const receipt: Receipt = {
  version: 1,
  generationId: "gen_01",
  organizationId: "org_01",
  apiKeyId: "key_01",
  requestedModel: "meta-llama/llama-3.3-70b-instruct",
  servedModel: "meta-llama/llama-3.3-70b-instruct",
  endpoint: "together_ai:meta-llama/Llama-3.3-70B-Instruct-Turbo",
  provider: "together_ai",
  apiFormat: "openai",
  stream: true,
  status: "success",
  attempts: [
    {
      endpoint: "groq:llama-3.3-70b-versatile",
      provider: "groq",
      status: "error",
      errorClass: "http_500",
      latencyMs: 12,
    },
    {
      endpoint: "together_ai:meta-llama/Llama-3.3-70B-Instruct-Turbo",
      provider: "together_ai",
      status: "success",
      latencyMs: 40,
    },
  ],
  policy: null,
  priceTableVersion: 3,
  prices: { input: "880000000", output: "880000000" },
  usage: {
    promptTokens: 10,
    completionTokens: 5,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    estimated: false,
  },
  cost: {
    inputNanoUsd: "8800",
    cachedInputNanoUsd: "0",
    cacheWriteNanoUsd: "0",
    outputNanoUsd: "4400",
    requestNanoUsd: "0",
    totalNanoUsd: "13200",
    rounding: "half-up, once, to whole nano-USD",
  },
  startedAt: "2026-11-25T10:00:00.000Z",
  completedAt: "2026-11-25T10:00:01.000Z",
};

describe("receipts", () => {
  it("canonical JSON sorts keys at every depth and is whitespace-free", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2n }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":"2","z":1}]},"b":1}',
    );
  });

  it("values already in key order take JSON.stringify's path, with the same bytes as sorting them", () => {
    const sorted = { a: { c: null, d: [2, { y: "2", z: 1 }, undefined] }, b: 1, e: undefined };
    const unsorted = { e: undefined, b: 1, a: { d: [2, { z: 1, y: "2" }, undefined], c: null } };
    expect(stringifiesCanonically(sorted)).toBe(true);
    expect(stringifiesCanonically(unsorted)).toBe(false);
    expect(canonicalJson(sorted)).toBe('{"a":{"c":null,"d":[2,{"y":"2","z":1},null]},"b":1}');
    expect(canonicalJson(unsorted)).toBe(canonicalJson(sorted));
    // What JSON.stringify would write differently from the canonical form goes the sorting way.
    for (const value of [{ a: 1n }, { a: new Date(0) }, undefined, { 9: 1, 10: 2 }, [() => 1]])
      expect(stringifiesCanonically(value)).toBe(false);
    expect(canonicalJson({ 9: 1, 10: 2 })).toBe('{"10":2,"9":1}');
    expect(canonicalJson(undefined)).toBe("null");
  });

  it("signBatchJson (the writer's path: texts it keeps) signs what verifyReceipt checks against the receipts", () => {
    const signer = createReceiptSigner(generateKeyPairSync("ed25519").privateKey);
    const receipts = [receipt, { ...receipt, generationId: "gen_2" }, { ...receipt, generationId: "gen_3" }];
    const signatures = signer.signBatchJson(receipts.map(canonicalJson));
    receipts.forEach((r, i) => {
      expect(verifyReceipt(r, signatures[i] as string, signer.publicKeyPem)).toBe(true);
    });
    // A text that is not the receipt's canonical form signs something else.
    const [loose] = signer.signBatchJson([JSON.stringify(receipt, null, 1)]);
    expect(verifyReceipt(receipt, loose as string, signer.publicKeyPem)).toBe(false);
    expect(signer.signBatchJson([canonicalJson(receipt)])).toEqual([signer.sign(receipt)]);
  });

  it("sign → verify; any edit fails; another key fails", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const signer = createReceiptSigner(privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    const signature = signer.sign(receipt);
    expect(verifyReceipt(receipt, signature, signer.publicKeyPem)).toBe(true);
    // Round trip through JSON with keys in another order still verifies: the signature is over canonical bytes.
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(receipt).reverse())));
    expect(verifyReceipt(reordered, signature, signer.publicKeyPem)).toBe(true);
    expect(
      verifyReceipt(
        { ...receipt, cost: { ...receipt.cost, totalNanoUsd: "13199" } },
        signature,
        signer.publicKeyPem,
      ),
    ).toBe(false);
    expect(verifyReceipt({ ...receipt, servedModel: "x" }, signature, signer.publicKeyPem)).toBe(false);
    const other = createReceiptSigner(generateKeyPairSync("ed25519").privateKey);
    expect(verifyReceipt(receipt, signature, other.publicKeyPem)).toBe(false);
    expect(verifyReceipt(receipt, "garbage", signer.publicKeyPem)).toBe(false);
    expect(signer.keyId).toMatch(/^rk_[0-9a-f]{16}$/);
  });

  it("batch signatures: one Ed25519 signature over a Merkle root, every receipt verifies alone", () => {
    const signer = createReceiptSigner(generateKeyPairSync("ed25519").privateKey);
    const receipts = [1, 2, 3, 4, 5].map((n) => ({ ...receipt, generationId: `gen_${n}` }));
    const signatures = signer.signBatch(receipts);
    expect(new Set(signatures.map((s) => s.split(".")[1])).size).toBe(1); // one root signature
    receipts.forEach((r, i) => {
      expect(verifyReceipt(r, signatures[i] as string, signer.publicKeyPem)).toBe(true);
    });
    // The last of an odd count is carried up: its proof is shorter, and still verifies.
    expect((signatures[4] as string).split(".").length).toBeLessThan(
      (signatures[0] as string).split(".").length,
    );
    // Another receipt's proof, an edited receipt, a tampered proof, another key: all fail.
    expect(verifyReceipt(receipts[0], signatures[1] as string, signer.publicKeyPem)).toBe(false);
    expect(
      verifyReceipt({ ...receipts[2], status: "error" }, signatures[2] as string, signer.publicKeyPem),
    ).toBe(false);
    const tampered = (signatures[3] as string).replace(/\.([lr])[0-9a-f]/, (_, side) => `.${side}0`);
    expect(tampered).not.toBe(signatures[3]);
    expect(verifyReceipt(receipts[3], tampered, signer.publicKeyPem)).toBe(false);
    expect(verifyReceipt(receipts[3], "m1.AAAA.zz", signer.publicKeyPem)).toBe(false);
    const other = createReceiptSigner(generateKeyPairSync("ed25519").privateKey);
    expect(verifyReceipt(receipts[0], signatures[0] as string, other.publicKeyPem)).toBe(false);
    // A batch of one is a plain signature.
    expect(signer.signBatch([receipt])[0]).toBe(signer.sign(receipt));
  });
});
