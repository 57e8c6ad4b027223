import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const ENDPOINT = "openai:gpt-4o-mini";
const promptPrice = async () => {
  const models = await harness.openai().models.list();
  const model = models.data.find((found) => found.id === "openai/gpt-4o-mini") as unknown as {
    pricing: { prompt: string };
  };
  return model.pricing.prompt;
};

describe("the periodic catalog refresh", () => {
  it("keeps the snapshot while no catalog row changed, and reloads once one did", async () => {
    const before = harness.gateway.context.catalog();
    await harness.gateway.refreshCatalog(true);
    expect(harness.gateway.context.catalog()).toBe(before);

    // $0.20 per million prompt tokens = 200,000,000 nano-USD per million = 0.0000002 USD per token.
    await harness.database.db.endpoint.update({
      where: { id: ENDPOINT },
      data: { inputPrice: 200_000_000n },
    });
    await harness.gateway.refreshCatalog(true);
    expect(harness.gateway.context.catalog()).not.toBe(before);
    expect(await promptPrice()).toBe("0.0000002");
  });

  it("notices a removed model and a new price-table version", async () => {
    const snapshot = () => harness.gateway.context.catalog();
    let before = snapshot();
    await harness.database.db.model.delete({ where: { id: "openai/gpt-4o" } });
    await harness.gateway.refreshCatalog(true);
    expect(snapshot()).not.toBe(before);
    expect(snapshot().models.has("openai/gpt-4o")).toBe(false);

    before = snapshot();
    const latest = await harness.database.db.priceTableVersion.findFirstOrThrow({
      orderBy: { version: "desc" },
    });
    await harness.database.db.priceTableVersion.create({
      data: {
        id: `ptv_test${latest.version + 1}`,
        version: latest.version + 1,
        source: "test",
        sourceDate: "2026-12-06",
        sha256: "0".repeat(64),
        prices: {},
      },
    });
    await harness.gateway.refreshCatalog(true);
    expect(snapshot()).not.toBe(before);
    expect(snapshot().priceTableVersion).toBe(latest.version + 1);
  });
});
