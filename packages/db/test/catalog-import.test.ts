import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createTestDatabase, type TestDatabase } from "@junction/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCatalog } from "../src/catalog/import.js";
import { catalogFromLiteLlm } from "../src/catalog/litellm.js";
import type { Db } from "../src/client.js";

const read = (name: string) => readFileSync(new URL(`../../../prisma/data/${name}`, import.meta.url), "utf8");
const rawJsonText = read("model-prices.json");
const sandboxJsonText = read("sandbox-models.json");
const input = {
  rawJsonText,
  sandboxJsonText,
  source: "litellm:model_prices_and_context_window.json",
  sourceDate: "2026-07-24",
};
const catalog = catalogFromLiteLlm(rawJsonText, { sandboxJsonText });

/** Every catalog row, minus timestamps and the price-table version pointer. */
async function catalogRows(db: Db) {
  const providers = await db.provider.findMany({
    orderBy: { id: "asc" },
    omit: { createdAt: true, updatedAt: true },
  });
  const models = await db.model.findMany({
    orderBy: { id: "asc" },
    omit: { createdAt: true, updatedAt: true },
  });
  const endpoints = await db.endpoint.findMany({
    orderBy: { id: "asc" },
    omit: { createdAt: true, updatedAt: true, priceTableVersionId: true },
  });
  return { providers, models, endpoints };
}

let test: TestDatabase;

beforeAll(async () => {
  test = await createTestDatabase();
}, 120_000);

afterAll(async () => {
  await test?.drop();
});

describe("importCatalog", () => {
  it("is idempotent: a second import leaves the same catalog and adds one price-table version", async () => {
    const first = await importCatalog(test.db, input);
    const afterFirst = await catalogRows(test.db);
    const second = await importCatalog(test.db, input);
    const afterSecond = await catalogRows(test.db);

    expect(afterSecond).toEqual(afterFirst);
    expect(first).toMatchObject({
      version: 1,
      providers: catalog.providers.length,
      models: catalog.models.length,
      endpoints: catalog.endpoints.length,
      deprecated: 0,
    });
    expect(second).toMatchObject({
      version: 2,
      endpoints: first.endpoints,
      multiHostModels: first.multiHostModels,
    });
    expect(afterFirst.providers).toHaveLength(catalog.providers.length);
    expect(afterFirst.models).toHaveLength(catalog.models.length);
    expect(afterFirst.endpoints).toHaveLength(catalog.endpoints.length);
    expect(afterFirst.endpoints.every((row) => row.status === "active")).toBe(true);

    const versions = await test.db.priceTableVersion.findMany({ orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const sha256 = createHash("sha256")
      .update(readFileSync(new URL("../../../prisma/data/model-prices.json", import.meta.url)))
      .digest("hex");
    expect(versions.map((v) => v.sha256)).toEqual([sha256, sha256]);
    expect(versions[1]?.prices).toEqual(versions[0]?.prices);
    const pointers = await test.db.endpoint.groupBy({ by: ["priceTableVersionId"], _count: true });
    expect(pointers).toEqual([
      { priceTableVersionId: second.priceTableVersionId, _count: catalog.endpoints.length },
    ]);
  }, 300_000);

  it("round-trips exact BigInt prices, and snapshots them as decimal strings", async () => {
    const rows = await catalogRows(test.db);
    const expected = catalog.endpoints.map((endpoint) => ({ ...endpoint, status: "active" }));
    expect(rows.endpoints).toEqual(expected);
    const groq = rows.endpoints.find((row) => row.id === "groq:llama-3.3-70b-versatile");
    expect(groq?.inputPrice).toBe(590_000_000n);
    expect(groq?.outputPrice).toBe(790_000_000n);
    expect(typeof groq?.inputPrice).toBe("bigint");
    const { models, providers } = rows;
    expect(models).toEqual(catalog.models);
    expect(providers).toEqual(catalog.providers);

    const latest = await test.db.priceTableVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
    const prices = latest.prices as Record<string, Record<string, string | null>>;
    expect(Object.keys(prices)).toHaveLength(catalog.endpoints.length);
    expect(prices["openai:gpt-4o-mini"]).toEqual({
      input: "150000000",
      output: "600000000",
      cachedInput: "75000000",
      cacheWrite: null,
      request: null,
      image: null,
      cacheWrite1h: null,
      longContext: null,
    });
    expect(prices["anthropic:claude-sonnet-4-5"]).toMatchObject({
      cacheWrite1h: "6000000000",
      longContext: {
        above: 200_000,
        input: "6000000000",
        output: "22500000000",
        cachedInput: "600000000",
        cacheWrite: "7500000000",
        cacheWrite1h: "12000000000",
      },
    });
    expect(prices["sandbox:junction-small"]?.input).toBe("100000000");
  });

  it("deprecates endpoints that vanish from the source, revives them when they return, leaves disabled ones", async () => {
    await test.db.endpoint.update({
      where: { id: "groq:llama-3.1-8b-instant" },
      data: { status: "disabled" },
    });
    const emptied = await importCatalog(test.db, { ...input, rawJsonText: "{}" });
    const litellmCount = catalog.endpoints.filter((e) => e.providerId !== "sandbox").length;
    expect(emptied).toMatchObject({ endpoints: 3, deprecated: litellmCount - 1 });
    const statuses = await test.db.endpoint.groupBy({
      by: ["status"],
      _count: true,
      orderBy: { status: "asc" },
    });
    expect(statuses).toEqual([
      { status: "active", _count: 3 },
      { status: "disabled", _count: 1 },
      { status: "deprecated", _count: litellmCount - 1 },
    ]);

    const restored = await importCatalog(test.db, input);
    expect(restored.deprecated).toBe(0);
    const rows = await catalogRows(test.db);
    expect(rows.endpoints.filter((row) => row.status !== "active").map((row) => row.id)).toEqual([
      "groq:llama-3.1-8b-instant",
    ]);
    expect(await test.db.priceTableVersion.count()).toBe(4);
  }, 300_000);
});
