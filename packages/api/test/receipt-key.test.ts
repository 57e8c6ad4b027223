import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createReceiptSigner, type Receipt } from "@junction/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiptVerified } from "../src/queries/receipt-key";

const signer = createReceiptSigner(generateKeyPairSync("ed25519").privateKey);
let server: Server;
let gatewayUrl: string;
let keyRequests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url !== "/.well-known/junction-receipt-key") return void response.writeHead(404).end();
    keyRequests++;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ public_key_pem: signer.publicKeyPem }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const receipt = { version: 1, generationId: "gen_1", status: "success" } as unknown as Receipt;

describe("receipt verification in the dashboard", () => {
  it("verifies against the gateway's published key (fetched once), and catches an edited receipt", async () => {
    const signature = signer.sign(receipt);
    expect(await receiptVerified(gatewayUrl, receipt, signature)).toBe(true);
    expect(await receiptVerified(gatewayUrl, { ...receipt, status: "error" }, signature)).toBe(false);
    const [batchSignature] = signer.signBatch([receipt, { ...receipt, generationId: "gen_2" }]);
    expect(await receiptVerified(gatewayUrl, receipt, batchSignature as string)).toBe(true);
    expect(keyRequests).toBe(1);
  });

  it("says null — not checked — when there is no signature or the key cannot be fetched", async () => {
    expect(await receiptVerified(gatewayUrl, receipt, null)).toBeNull();
    expect(await receiptVerified(gatewayUrl, null, "sig")).toBeNull();
    expect(await receiptVerified("http://127.0.0.1:9", receipt, signer.sign(receipt))).toBeNull();
  });
});
