import { newId } from "@junction/core";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spendWindow } from "../src/queries/spend-window";
import { createHarness, type Harness, recordGeneration, signUpUser } from "./harness";

let h: Harness;
let org: Awaited<ReturnType<typeof signUpUser>>;
let keyA: string;
let keyB: string;
const HOUR = 3_600_000;

beforeAll(async () => {
  h = await createHarness();
  org = await signUpUser(h, "Charts");
  keyA = (await h.as(org.userId).apiKeys.create({ name: "Backend" })).apiKey.id;
  keyB = (await h.as(org.userId).apiKeys.create({ name: "Batch jobs" })).apiKey.id;
  const now = Date.now();
  const rows: [string | null, string, bigint, number][] = [
    [keyA, "sandbox/junction-small", 1_000n, 0],
    [keyA, "sandbox/junction-large", 2_000n, 2 * HOUR],
    [keyB, "sandbox/junction-large", 4_000n, 3 * 24 * HOUR],
    [null, "sandbox/junction-small", 8n, 40 * 24 * HOUR],
  ];
  for (const [apiKeyId, model, cost, ago] of rows) {
    await recordGeneration(h.db, {
      organizationId: org.organizationId,
      apiKeyId,
      cost,
      model,
      at: new Date(now - ago),
    });
  }
});
afterAll(async () => {
  await h?.close();
});

describe("overview.spend", () => {
  it("24h: 24 hour buckets ending with the current hour", async () => {
    const chart = await h.as(org.userId).overview.spend({ range: "24h" });
    expect(chart.window.bucket).toBe("hour");
    expect(chart.buckets).toHaveLength(24);
    expect(chart.buckets.reduce((sum, bucket) => sum + bucket.total, 0n)).toBe(3_000n);
    expect(chart.buckets.at(-1)?.total).toBe(1_000n);
    expect(chart.buckets.at(-3)?.total).toBe(2_000n);
  });

  it("groups by key (named, largest first) and by provider", async () => {
    const api = h.as(org.userId);
    const byKey = await api.overview.spend({ range: "7d", groupBy: "key" });
    expect(byKey.groups.map((group) => [group.label, group.cost])).toEqual([
      ["Batch jobs", 4_000n],
      ["Backend", 3_000n],
    ]);
    expect(byKey.series.map((series) => series.id)).toEqual([keyB, keyA]);
    const byProvider = await api.overview.spend({ range: "30d", groupBy: "provider" });
    expect(byProvider.groups).toMatchObject([{ id: "sandbox", label: "sandbox", cost: 7_000n, requests: 3 }]);
  });

  it("names the groups of refused requests: no model in the body, no provider that answered", async () => {
    const other = await signUpUser(h, "Refusals");
    const hour = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    await h.db.usageRollup.create({
      data: {
        id: newId("rollup"),
        organizationId: other.organizationId,
        apiKeyId: "",
        modelId: "",
        providerId: "none",
        hour,
        requests: 2,
        errors: 2,
      },
    });
    const api = h.as(other.userId);
    const byModel = await api.overview.spend({ range: "24h", groupBy: "model" });
    expect(byModel.groups).toMatchObject([{ id: "", label: "No model", requests: 2, cost: 0n }]);
    const byProvider = await api.overview.spend({ range: "24h", groupBy: "provider" });
    expect(byProvider.groups).toMatchObject([{ id: "none", label: "No provider", requests: 2 }]);
    expect((await api.overview.summary()).month).toMatchObject({ requests: 2, errors: 2 });
  });

  it("custom UTC days, inclusive, with readable errors for bad ranges", async () => {
    const api = h.as(org.userId);
    const day = (ago: number) => new Date(Date.now() - ago * 24 * HOUR).toISOString().slice(0, 10);
    const chart = await api.overview.spend({ range: "custom", from: day(45), to: day(35), groupBy: "key" });
    expect(chart.buckets).toHaveLength(11);
    expect(chart.groups).toMatchObject([{ id: "", label: "No key", cost: 8n }]);
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => "ok",
        (error: unknown) => (error instanceof TRPCError ? error.code : String(error)),
      );
    expect(await code(api.overview.spend({ range: "custom", from: day(1), to: day(2) }))).toBe("BAD_REQUEST");
    expect(await code(api.overview.spend({ range: "custom", from: "2026-02-30", to: day(0) }))).toBe(
      "BAD_REQUEST",
    );
    expect(await code(api.overview.spend({ range: "custom", from: "2020-01-01", to: day(0) }))).toBe(
      "BAD_REQUEST",
    );
    expect(await code(api.overview.spend({ range: "custom" }))).toBe("BAD_REQUEST");
  });

  it("windows are whole UTC days or hours", () => {
    const now = new Date("2026-11-25T13:45:10Z");
    expect(spendWindow({ range: "7d" }, now)).toEqual({
      from: new Date("2026-11-19T00:00:00Z"),
      to: new Date("2026-11-26T00:00:00Z"),
      bucket: "day",
    });
    expect(spendWindow({ range: "24h" }, now)).toEqual({
      from: new Date("2026-11-24T14:00:00Z"),
      to: new Date("2026-11-25T14:00:00Z"),
      bucket: "hour",
    });
  });
});
