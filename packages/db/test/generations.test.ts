import { createTestDatabase, createTestTenant, type TestDatabase } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GenerationRecord, GenerationStore } from "../src/generations.js";

let database: TestDatabase;
let store: GenerationStore;
let organizationId: string;
let apiKeyId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  store = new GenerationStore(database.url);
  const tenant = await createTestTenant(database.db);
  organizationId = tenant.organizationId;
  apiKeyId = tenant.keyId;
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

const record = (id: string, overrides: Partial<GenerationRecord> = {}): GenerationRecord => ({
  id,
  organizationId,
  apiKeyId,
  requestedModel: "openai/gpt-4o-mini",
  servedModel: "openai/gpt-4o-mini",
  providerId: "openai",
  endpointId: "openai/gpt-4o-mini@openai",
  apiFormat: "openai",
  route: "chat",
  stream: true,
  status: "success",
  finishReason: "stop",
  errorCode: null,
  errorMessage: null,
  httpStatus: 200,
  promptTokens: 12,
  completionTokens: 34,
  cachedTokens: 5,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 0,
  usageEstimated: false,
  cost: 9_007_199_254_740_993n, // above 2^53: must survive as an exact integer
  isByok: false,
  requestHash: "a".repeat(64),
  responseHash: "b".repeat(64),
  attempts: [{ endpoint: "openai/gpt-4o-mini@openai", provider: "openai", status: "success", latencyMs: 3 }],
  latencyMs: 40,
  timeToFirstTokenMs: 7,
  upstreamLatencyMs: 35,
  policyId: null,
  policyVersionHash: null,
  priceTableVersion: 1,
  receipt: { version: 1, quote: 'say "hi" \\ \u00e9', nested: { list: [1, null, true] } },
  signature: "sig",
  createdAt: new Date("2026-11-25T23:59:59.123Z"),
  completedAt: new Date("2026-11-26T00:00:00.456Z"),
  ...overrides,
});

describe("GenerationStore", () => {
  it("writes rows that Prisma reads back field for field (bigint, JSON, UTC timestamps)", async () => {
    const rows = [
      record("gen_store_a"),
      record("gen_store_b", {
        status: "error",
        errorCode: "upstream_error",
        // Multi-byte text in a column and in a receipt passed as its signed text: the batch travels as UTF-8 bytes.
        errorMessage: "Upstream said «überlastet» 日本 🚦",
        receiptJson: '{"signed":"ü 🚦"}',
      }),
    ];
    await store.insert(rows);
    const read = await database.db.generation.findMany({
      where: { id: { in: rows.map((r) => r.id) } },
      orderBy: { id: "asc" },
    });
    expect(read).toHaveLength(2);
    const [a, b] = read;
    expect(a).toMatchObject({ ...rows[0], ingestedAt: null });
    expect(a?.cost).toBe(9_007_199_254_740_993n);
    expect(a?.createdAt.toISOString()).toBe("2026-11-25T23:59:59.123Z");
    expect(a?.receipt).toEqual(rows[0]?.receipt);
    expect(b).toMatchObject({
      status: "error",
      errorCode: "upstream_error",
      errorMessage: "Upstream said «überlastet» 日本 🚦",
      receipt: { signed: "ü 🚦" },
    });
  });

  it("writes opted-in bodies in the same transaction, and writes nothing when a row fails", async () => {
    const body = {
      generationId: "gen_store_c",
      organizationId,
      request: { messages: [{ role: "user", content: "hello" }] },
      response: "hi",
      expiresAt: new Date("2026-12-25T00:00:00.000Z"),
    };
    await store.insert([record("gen_store_c")], [body]);
    expect(
      await database.db.generationBody.findUnique({ where: { generationId: "gen_store_c" } }),
    ).toMatchObject({ response: "hi", expiresAt: body.expiresAt });
    // A duplicate id fails the batch: the new body must not land without its row.
    await expect(
      store.insert([record("gen_store_c")], [{ ...body, generationId: "gen_store_d" }]),
    ).rejects.toThrow();
    expect(
      await database.db.generationBody.findUnique({ where: { generationId: "gen_store_d" } }),
    ).toBeNull();
  });
});
