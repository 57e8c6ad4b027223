import { generateKeyPairSync } from "node:crypto";
import { createReceiptSigner, newId, type Receipt, type ReceiptSigner, verifyReceipt } from "@junction/core";
import type { GenerationRecord, GenerationStore } from "@junction/db";
import type { Producers } from "@junction/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GenerationWriter, type UnsignedGeneration } from "../src/generation-writer.js";
import { type Harness, startHarness } from "./harness.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.close());

function unsigned(id: string): UnsignedGeneration {
  const now = new Date();
  const receipt = {
    version: 1,
    generationId: id,
    organizationId: harness.tenant.organizationId,
    apiKeyId: harness.tenant.keyId,
    requestedModel: "sandbox/junction-small",
    servedModel: "sandbox/junction-small",
    endpoint: null,
    provider: "sandbox",
    apiFormat: "openai",
    stream: false,
    status: "success",
    attempts: [],
    policy: null,
    priceTableVersion: 1,
    prices: null,
    usage: {
      promptTokens: 3,
      completionTokens: 4,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      estimated: false,
    },
    cost: {
      inputNanoUsd: "1",
      cachedInputNanoUsd: "0",
      cacheWriteNanoUsd: "0",
      outputNanoUsd: "2",
      requestNanoUsd: "0",
      totalNanoUsd: "3",
      rounding: "half-up, once, to whole nano-USD",
    },
    startedAt: now.toISOString(),
    completedAt: now.toISOString(),
  } satisfies Receipt;
  return {
    id,
    organizationId: harness.tenant.organizationId,
    apiKeyId: harness.tenant.keyId,
    requestedModel: "sandbox/junction-small",
    servedModel: "sandbox/junction-small",
    providerId: "sandbox",
    endpointId: null,
    apiFormat: "openai",
    route: "chat",
    stream: false,
    status: "success",
    finishReason: "stop",
    errorCode: null,
    errorMessage: null,
    httpStatus: 200,
    promptTokens: 3,
    completionTokens: 4,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
    usageEstimated: false,
    cost: 3n,
    isByok: false,
    requestHash: null,
    responseHash: null,
    attempts: [],
    latencyMs: 1,
    timeToFirstTokenMs: null,
    upstreamLatencyMs: null,
    policyId: null,
    policyVersionHash: null,
    priceTableVersion: 1,
    receipt,
    createdAt: now,
    completedAt: now,
  };
}

describe("generation writer", () => {
  it("signs a batch with one signature over its Merkle root; each stored receipt verifies on its own", async () => {
    const writer = harness.gateway.context.writer;
    const ids = Array.from({ length: 5 }, () => newId("generation"));
    // Written in the same turn of the event loop: one batch.
    await Promise.all(ids.map((id) => writer.write(unsigned(id))));
    expect(writer.pending(ids[0] as string)).toBeUndefined();
    const rows = await harness.database.db.generation.findMany({ where: { id: { in: ids } } });
    expect(rows).toHaveLength(5);
    const key = (await (await fetch(`${harness.gateway.url}/.well-known/junction-receipt-key`)).json()) as {
      public_key_pem: string;
    };
    const rootSignatures = new Set(rows.map((row) => row.signature?.split(".")[1]));
    expect(rootSignatures.size).toBe(1);
    for (const row of rows) {
      expect(row.signature).toMatch(/^m1\./);
      expect(verifyReceipt(row.receipt, row.signature as string, key.public_key_pem)).toBe(true);
      expect(
        verifyReceipt(
          { ...(row.receipt as object), status: "error" },
          row.signature as string,
          key.public_key_pem,
        ),
      ).toBe(false);
    }
  });

  it("a read on this instance waits for a row still being written", async () => {
    const id = newId("generation");
    void harness.gateway.context.writer.write(unsigned(id));
    const response = await fetch(`${harness.gateway.url}/v1/generations/${id}`, {
      headers: { authorization: `Bearer ${harness.tenant.apiKey}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { id: string } }).data.id).toBe(id);
  });

  it("rows that arrive while a batch is being inserted wait for company instead of going out a few at a time", async () => {
    const batches: string[][] = [];
    let open: () => void = () => undefined;
    let gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const store = {
      insert: async (rows: GenerationRecord[]) => {
        batches.push(rows.map((row) => row.id));
        await gate;
      },
    } as unknown as GenerationStore;
    const { producers, jobs } = recordingProducers();
    const { privateKey } = generateKeyPairSync("ed25519");
    const writer = new GenerationWriter(store, createReceiptSigner(privateKey), producers, () => undefined);

    const ids = Array.from({ length: 7 }, () => newId("generation"));
    const written = [writer.write(unsigned(ids[0] as string))];
    await expect.poll(() => batches.length).toBe(1); // the first row's batch is being inserted
    for (const id of ids.slice(1, 6)) {
      written.push(writer.write(unsigned(id)));
      await tick();
    }
    open();
    gate = Promise.resolve();
    await tick();
    written.push(writer.write(unsigned(ids[6] as string))); // just after the insert: joins the waiting rows
    await Promise.all(written);
    expect(batches).toEqual([[ids[0]], ids.slice(1)]);
    expect(jobs).toEqual(batches);
  });

  it("a batch that cannot be signed rejects its writes instead of leaving them pending, and enqueues no job", async () => {
    const store = { insert: async () => undefined } as unknown as GenerationStore;
    const { producers, jobs } = recordingProducers();
    const signer = {
      signBatchJson: () => {
        throw new Error("no signing key");
      },
    } as unknown as ReceiptSigner;
    const writer = new GenerationWriter(store, signer, producers, () => undefined);
    const id = newId("generation");
    await expect(writer.write(unsigned(id))).rejects.toThrow("no signing key");
    expect(writer.pending(id)).toBeUndefined();
    await writer.idle();
    await tick(); // an enqueue is not awaited by the writer: give one a turn to happen
    expect(jobs).toEqual([]); // no usage job for rows that were never written
  });
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Producers that record the generation ids of every usage job instead of queueing it. */
function recordingProducers(): { producers: Producers; jobs: string[][] } {
  const jobs: string[][] = [];
  const producers = {
    enqueue: async (_queue: string, job: { generationIds: string[] }) => jobs.push(job.generationIds),
  } as unknown as Producers;
  return { producers, jobs };
}
