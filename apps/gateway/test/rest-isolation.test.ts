import { newId } from "@junction/core";
import { createTestKey, createTestTenant, type TestTenant } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeTable } from "../src/app.js";
import { type Harness, startHarness } from "./harness.js";

/**
 * REST isolation: every gateway route that takes an id, called by tenant B (and by another key of tenant A) with
 * tenant A's ids, answers 404 — exactly like an id that does not exist. The first test fails when a route with an
 * id is added without a row here.
 */
let harness: Harness;
let a: TestTenant;
let b: TestTenant;
let aOtherKey: string;
let aGeneration: string;

beforeAll(async () => {
  harness = await startHarness();
  a = await createTestTenant(harness.database.db, { name: "Tenant A", creditNano: 1_000_000_000n });
  b = await createTestTenant(harness.database.db, { name: "Tenant B", creditNano: 1_000_000_000n });
  aOtherKey = (await createTestKey(harness.database.db, a.organizationId)).apiKey;
  const { response } = await harness
    .openai(a.apiKey)
    .chat.completions.create({ model: "sandbox/junction-small", messages: [{ role: "user", content: "hi" }] })
    .withResponse();
  aGeneration = response.headers.get("x-junction-generation-id") as string;
  await harness.gateway.idle?.();
  await harness.database.db.customEndpoint.create({
    data: {
      id: newId("customEndpoint"),
      organizationId: a.organizationId,
      name: "tenant-a",
      baseUrl: "https://93.184.216.34/v1",
      models: ["secret-model"],
    },
  });
});
afterAll(() => harness?.close());

const get = (path: string, apiKey: string) =>
  fetch(`${harness.gateway.url}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });

/** Route name → the paths that carry one of A's ids. */
const MATRIX: Record<string, () => string[]> = {
  generation: () => [`/v1/generations/${aGeneration}`, `/v1/generation?id=${aGeneration}`],
  model: () => ["/v1/models/custom/tenant-a/secret-model"],
  model_endpoints: () => ["/v1/models/custom/tenant-a/secret-model/endpoints"],
};

describe("REST isolation matrix (gateway)", () => {
  it("covers every route that takes an id", () => {
    const withIds = routeTable()
      .filter((route) => route.path.startsWith("/^") || route.name === "generation")
      .map((route) => route.name);
    expect([...new Set(withIds)].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it("the owner's key reads A's generation (the probe is not vacuous)", async () => {
    for (const path of MATRIX.generation?.() ?? []) expect((await get(path, a.apiKey)).status).toBe(200);
  });

  for (const [name, paths] of Object.entries(MATRIX)) {
    it(`${name}: another tenant — or another key of the same tenant — gets 404`, async () => {
      for (const path of paths()) {
        for (const key of [b.apiKey, aOtherKey]) {
          const response = await get(path, key);
          expect(response.status, `${path}`).toBe(404);
          const body = await response.text();
          expect(body).not.toContain(a.organizationId);
          expect(body).not.toContain("93.184.216.34");
        }
      }
    });
  }
});
