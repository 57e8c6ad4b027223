import { readFileSync } from "node:fs";
import { usdPerTokenToNanoPerMillion } from "@junction/core";
import { describe, expect, it } from "vitest";
import { catalogFromLiteLlm, LITELLM_PROVIDER_IDS } from "../src/catalog/litellm.js";
import {
  isLosslessObject,
  JsonNumber,
  type LosslessJson,
  parseLosslessJson,
} from "../src/catalog/lossless-json.js";
import { canonicalModel } from "../src/catalog/normalise.js";
import type { CatalogEndpoint } from "../src/catalog/types.js";

const read = (name: string) => readFileSync(new URL(`../../../prisma/data/${name}`, import.meta.url), "utf8");
const rawJsonText = read("model-prices.json");
const sandboxJsonText = read("sandbox-models.json");
const catalog = catalogFromLiteLlm(rawJsonText, { sandboxJsonText });
const endpoint = (id: string): CatalogEndpoint => {
  const found = catalog.endpoints.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no endpoint ${id}`);
  return found;
};

/** Independent oracle: shift the decimal point of a JSON number literal by string manipulation only. */
function shiftDecimal(literal: string, places: number): string {
  const [mantissa = "", exponent = "0"] = literal.toLowerCase().split("e");
  const [whole = "", fraction = ""] = mantissa.split(".");
  const point = whole.length + Number(exponent) + places;
  const digits = whole + fraction;
  const padded =
    point >= digits.length ? digits.padEnd(point, "0") : digits.padStart(digits.length - point, "0");
  const integer = padded.slice(0, Math.max(point, 0)) || "0";
  if (/[1-9]/.test(padded.slice(Math.max(point, 0))))
    throw new Error(`${literal} is finer than 1e-${places}`);
  return BigInt(integer).toString();
}

describe("lossless JSON scanner", () => {
  it("keeps each number's literal text", () => {
    const parsed = parseLosslessJson(
      '{"a": 1.1e-06, "b": [0, -2.5E+3, 10], "c": "x\\"y\\u00e9", "d": true, "e": null}',
    );
    expect(parsed).toEqual({
      a: new JsonNumber("1.1e-06"),
      b: [new JsonNumber("0"), new JsonNumber("-2.5E+3"), new JsonNumber("10")],
      c: 'x"yé',
      d: true,
      e: null,
    });
  });

  it("reads the whole price file exactly like JSON.parse, numbers aside", () => {
    const toPlain = (value: LosslessJson): unknown => {
      if (value instanceof JsonNumber) return Number(value.text);
      if (Array.isArray(value)) return value.map(toPlain);
      if (isLosslessObject(value))
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
      return value;
    };
    expect(toPlain(parseLosslessJson(rawJsonText))).toEqual(JSON.parse(rawJsonText));
  });

  it.each(['{"a": 01}', '{"a": 1.}', "[1,]", '{"a": 1} x', '{"a": -}', '{"a" 1}', '"open'])(
    "rejects invalid JSON %s",
    (text) => {
      expect(() => parseLosslessJson(text)).toThrow(SyntaxError);
    },
  );

  it("stores a __proto__ key as data", () => {
    const parsed = parseLosslessJson('{"__proto__": {"polluted": true}}');
    expect(isLosslessObject(parsed) && Object.keys(parsed)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("exact prices (nano-USD per million tokens)", () => {
  it.each([
    ["openai:gpt-4o-mini", "inputPrice", 150_000_000n], // 1.5e-07
    ["openai:gpt-4o-mini", "cachedInputPrice", 75_000_000n], // 7.5e-08
    ["groq:llama-3.3-70b-versatile", "inputPrice", 590_000_000n], // 5.9e-07
    ["groq:llama-3.3-70b-versatile", "outputPrice", 790_000_000n], // 7.9e-07: 789999999.9999999 via 1e6*1e9
    ["deepseek:deepseek-v3", "outputPrice", 1_100_000_000n], // 1.1e-06
    ["deepseek:deepseek-r1", "outputPrice", 2_190_000_000n], // 2.19e-06: 2190000000.0000005 via 1e6*1e9
    ["deepinfra:anthropic/claude-3-7-sonnet-latest", "outputPrice", 16_500_000_000n], // 1.65e-05 * 1e15 = …000002
    ["anthropic:claude-3-7-sonnet-20250219", "inputPrice", 3_000_000_000n], // 0.000003
    ["anthropic:claude-sonnet-4-5", "cacheWritePrice", 3_750_000_000n], // 0.00000375
    ["anthropic:claude-sonnet-4-5", "cachedInputPrice", 300_000_000n], // 3e-7
    ["gemini:gemini-2.5-flash", "outputPrice", 2_500_000_000n], // 0.0000025
    ["cerebras:llama-3.3-70b", "outputPrice", 1_200_000_000n], // 0.0000012
    ["openai:text-embedding-3-small", "inputPrice", 20_000_000n], // 2e-8
    ["openai:text-embedding-3-small", "outputPrice", 0n],
    // Per request / per image prices are nano-USD each.
    ["xai:grok-2-vision", "imagePrice", 2_000n], // $0.000002 per image
    ["openrouter:anthropic/claude-sonnet-4.5", "imagePrice", 4_800_000n], // $0.0048 per image
    ["perplexity:pplx-70b-online", "requestPrice", 5_000_000n], // $0.005 per request
    ["perplexity:sonar", "requestPrice", 5_000_000n], // search fee at the default (low) context size
  ] as const)("%s %s = %s", (id, field, expected) => {
    expect(endpoint(id)[field]).toBe(expected);
  });

  it("reads the literal's digits, never a float", () => {
    const text = `{
      "groq/exact-a": {"litellm_provider": "groq", "mode": "chat",
        "input_cost_per_token": 1234.123456789012345, "output_cost_per_token": 1.1e-06},
      "groq/exact-b": {"litellm_provider": "groq", "mode": "chat",
        "input_cost_per_token": 1.5e-07, "output_cost_per_token": 0.000001100000000000001}
    }`;
    // 1234.123456789012345 has 19 significant digits: a double keeps ~17, so any float path loses the tail.
    expect(String(Number("1234.123456789012345") * 1e15)).not.toBe("1234123456789012345");
    const result = catalogFromLiteLlm(text);
    expect(result.endpoints.map((e) => [e.id, e.inputPrice, e.outputPrice])).toEqual([
      ["groq:exact-a", 1_234_123_456_789_012_345n, 1_100_000_000n],
    ]);
    // Finer than 1e-15 USD/token is not silently rounded: the entry is refused.
    expect(result.skipped).toEqual([expect.objectContaining({ key: "groq/exact-b", reason: "bad-price" })]);
  });

  it("matches a string-shifting oracle for every imported token price, where float maths does not", () => {
    const root = parseLosslessJson(rawJsonText);
    if (!isLosslessObject(root)) throw new Error("not an object");
    let checked = 0;
    const floatWrong: string[] = [];
    for (const entry of Object.values(root)) {
      if (!isLosslessObject(entry) || !LITELLM_PROVIDER_IDS.includes(String(entry.litellm_provider)))
        continue;
      for (const field of ["input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost"]) {
        const value = entry[field];
        if (!(value instanceof JsonNumber)) continue;
        const exact = shiftDecimal(value.text, 15);
        expect(usdPerTokenToNanoPerMillion(value.text).toString()).toBe(exact);
        checked++;
        if (Number(value.text) * 1e15 !== Number(exact) || Number(value.text) * 1e6 * 1e9 !== Number(exact)) {
          floatWrong.push(value.text);
        }
      }
    }
    expect(checked).toBeGreaterThan(900);
    expect(floatWrong.length).toBeGreaterThan(10); // e.g. 1.65e-05, 7.9e-07, 2.19e-06
    expect(shiftDecimal("1.65e-05", 15)).toBe(
      endpoint("deepinfra:anthropic/claude-3-7-sonnet-latest").outputPrice.toString(),
    );
    expect(shiftDecimal("2.19e-06", 15)).toBe(endpoint("deepseek:deepseek-r1").outputPrice.toString());
  });
});

describe("catalog shape", () => {
  it("has 300+ endpoints, every required provider, and unique sorted ids", () => {
    expect(catalog.endpoints.length).toBeGreaterThanOrEqual(300);
    const providerIds = catalog.providers.map((p) => p.id);
    for (const id of [...LITELLM_PROVIDER_IDS, "sandbox"]) {
      expect(providerIds).toContain(id);
      expect(catalog.endpoints.some((e) => e.providerId === id)).toBe(true);
    }
    const ids = catalog.endpoints.map((e) => e.id);
    expect(new Set(ids.map((id) => id.toLowerCase())).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const modelIds = new Set(catalog.models.map((m) => m.id));
    for (const e of catalog.endpoints) {
      expect(modelIds.has(e.modelId)).toBe(true);
      expect(e.id).toBe(`${e.providerId}:${e.providerModelId}`);
    }
    for (const m of catalog.models) expect(m.id).toMatch(/^[a-z0-9][a-z0-9.-]*\/[a-z0-9][a-z0-9.:-]*$/);
  });

  it("sets adapters and data-policy defaults", () => {
    const adapter = Object.fromEntries(catalog.providers.map((p) => [p.id, p.adapter]));
    expect(adapter).toMatchObject({
      openai: "openai",
      anthropic: "anthropic",
      gemini: "gemini",
      sandbox: "sandbox",
    });
    expect(adapter.groq).toBe("openai_compatible");
    expect(catalog.providers.find((p) => p.id === "groq")).toMatchObject({ zdr: true, trainsOnData: false });
    expect(catalog.providers.find((p) => p.id === "openai")).toMatchObject({ retentionDays: 30, zdr: false });
  });

  it("is pure: the same text gives the same records", () => {
    expect(catalogFromLiteLlm(rawJsonText, { sandboxJsonText })).toEqual(catalog);
  });

  it("strips LiteLLM's provider prefix but keeps Fireworks' account path", () => {
    expect(endpoint("groq:llama-3.3-70b-versatile").providerModelId).toBe("llama-3.3-70b-versatile");
    expect(endpoint("fireworks_ai:accounts/fireworks/models/llama-v3p3-70b-instruct").modelId).toBe(
      "meta-llama/llama-3.3-70b-instruct",
    );
    expect(
      catalog.endpoints
        .filter((e) => e.providerId === "fireworks_ai")
        .every((e) => e.providerModelId.startsWith("accounts/")),
    ).toBe(true);
  });
});

describe("model ids and grouping", () => {
  const hosts = (modelId: string) =>
    catalog.endpoints.filter((e) => e.modelId === modelId).map((e) => `${e.providerId}:${e.providerModelId}`);

  it("groups Llama 3.3 70B across its hosts", () => {
    const served = hosts("meta-llama/llama-3.3-70b-instruct");
    expect(served).toEqual(
      expect.arrayContaining([
        "groq:llama-3.3-70b-versatile",
        "together_ai:meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "fireworks_ai:accounts/fireworks/models/llama-v3p3-70b-instruct",
        "deepinfra:meta-llama/Llama-3.3-70B-Instruct",
        "cerebras:llama-3.3-70b",
      ]),
    );
    expect(new Set(served.map((s) => s.split(":")[0])).size).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ["openai/gpt-oss-120b", ["groq", "together_ai", "fireworks_ai", "deepinfra", "cerebras", "openrouter"]],
    ["qwen/qwen3-32b", ["groq", "cerebras", "deepinfra", "fireworks_ai"]],
    ["deepseek/deepseek-r1", ["deepseek", "together_ai", "fireworks_ai", "deepinfra", "openrouter"]],
    ["mistralai/mixtral-8x7b-instruct", ["mistral", "together_ai", "fireworks_ai", "deepinfra"]],
    ["moonshotai/kimi-k2-0905", ["groq", "together_ai", "fireworks_ai", "deepinfra"]],
    ["meta-llama/llama-4-maverick", ["groq", "together_ai", "fireworks_ai", "deepinfra"]],
    ["google/gemma-3-27b-it", ["deepinfra", "fireworks_ai"]],
    ["z-ai/glm-4.6", ["cerebras", "together_ai", "fireworks_ai", "openrouter"]],
    ["anthropic/claude-sonnet-4-5", ["anthropic", "openrouter"]],
    ["google/gemini-2.5-flash", ["gemini", "openrouter", "deepinfra"]],
  ])("%s is served by %j", (modelId, providers) => {
    const served = new Set(hosts(modelId).map((s) => s.split(":")[0]));
    for (const provider of providers) expect(served).toContain(provider);
  });

  it("keeps dated ids as their own models next to the undated aliases", () => {
    expect(hosts("anthropic/claude-sonnet-4-5")).toContain("anthropic:claude-sonnet-4-5");
    expect(hosts("anthropic/claude-sonnet-4-5-20250929")).toEqual(["anthropic:claude-sonnet-4-5-20250929"]);
    expect(hosts("openai/gpt-4o-mini")).toEqual(["openai:gpt-4o-mini"]);
    expect(hosts("x-ai/grok-4")).toEqual(expect.arrayContaining(["xai:grok-4", "openrouter:x-ai/grok-4"]));
    expect(hosts("perplexity/sonar")).toEqual(["perplexity:sonar"]);
    expect(hosts("mistralai/mistral-large-latest")).toEqual(["mistral:mistral-large-latest"]);
  });

  it.each([
    ["together_ai", "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "meta-llama/llama-3.1-8b-instruct", null],
    ["cerebras", "llama3.1-8b", "meta-llama/llama-3.1-8b-instruct", null],
    ["together_ai", "Qwen/Qwen3-235B-A22B-fp8-tput", "qwen/qwen3-235b-a22b", "fp8"],
    [
      "fireworks_ai",
      "accounts/fireworks/models/qwen2p5-coder-32b-instruct",
      "qwen/qwen-2.5-coder-32b-instruct",
      null,
    ],
    ["deepinfra", "deepseek-ai/DeepSeek-V3.1", "deepseek/deepseek-v3.1", null],
    ["openrouter", "deepseek/deepseek-chat-v3.1", "deepseek/deepseek-v3.1", null],
    ["openrouter", "anthropic/claude-3.7-sonnet", "anthropic/claude-3-7-sonnet", null],
    ["mistral", "open-mistral-nemo", "mistralai/mistral-nemo", null],
    ["fireworks_ai", "accounts/fireworks/models/firefunction-v2", "fireworks/firefunction-v2", null],
    ["openai", "gpt-4o-2024-08-06", "openai/gpt-4o-2024-08-06", null],
  ])("%s %s → %s", (provider, name, modelId, quantization) => {
    expect(canonicalModel(provider, name)).toMatchObject({ modelId, quantization });
  });

  it("has multi-host models and sets chat/embedding kinds", () => {
    const byModel = new Map<string, Set<string>>();
    for (const e of catalog.endpoints)
      byModel.set(e.modelId, (byModel.get(e.modelId) ?? new Set()).add(e.providerId));
    expect([...byModel.values()].filter((set) => set.size > 1).length).toBeGreaterThanOrEqual(50);
    const kind = (id: string) => catalog.models.find((m) => m.id === id)?.kind;
    expect(kind("openai/text-embedding-3-small")).toBe("embedding");
    expect(kind("openai/gpt-4o")).toBe("chat");
  });
});

describe("skipped entries", () => {
  const skipped = (key: string) => catalog.skipped.find((entry) => entry.key === key)?.reason;

  it("never imports an unpriced model (it would be billed $0)", () => {
    expect(skipped("mistral/mistral-embed")).toBe("unpriced");
    expect(skipped("together_ai/Qwen/Qwen2.5-72B-Instruct-Turbo")).toBe("unpriced");
    expect(catalog.endpoints.some((e) => e.id === "together_ai:Qwen/Qwen2.5-72B-Instruct-Turbo")).toBe(false);
    expect(
      catalog.endpoints.filter((e) => e.inputPrice === 0n && e.outputPrice === 0n && !e.requestPrice),
    ).toEqual([]);
    expect(skipped("openrouter/openrouter/auto")).toBe("zero-priced");
  });

  it("skips pricing tiers, fine-tune templates and duplicate keys", () => {
    expect(skipped("together-ai-4.1b-8b")).toBe("not-a-model");
    expect(skipped("ft:gpt-4o-mini-2024-07-18")).toBe("not-a-model");
    expect(skipped("deepseek-chat")).toBe("duplicate"); // same as deepseek/deepseek-chat
    expect(skipped("fireworks_ai/gpt-oss-120b")).toBe("duplicate");
    expect(catalog.skipped.filter((entry) => entry.reason === "unpriced").length).toBeGreaterThan(0);
  });
});

describe("long-context tiers and one-hour cache writes", () => {
  it("imports the tier's threshold and prices, each from LiteLLM's literal", () => {
    // gemini-2.5-pro: $1.25 / $10 / $0.125 per M; over 200k tokens $2.50 / $15 / $0.25.
    expect(endpoint("gemini:gemini-2.5-pro")).toMatchObject({
      inputPrice: 1_250_000_000n,
      longContextAbove: 200_000,
      longInputPrice: 2_500_000_000n,
      longOutputPrice: 15_000_000_000n,
      longCachedInputPrice: 250_000_000n,
    });
    // gpt-5.4: 272k tokens, the threshold LiteLLM names.
    expect(endpoint("openai:gpt-5.4")).toMatchObject({
      longContextAbove: 272_000,
      longInputPrice: 5_000_000_000n,
    });
    expect(endpoint("openai:gpt-4o-mini")).toMatchObject({ longContextAbove: null, longInputPrice: null });
  });

  it("prices an hour's cache write by Anthropic's rule, twice the input price, where the source has one", () => {
    // LiteLLM's own figures: $6/M for claude-3-haiku (24× its input), none above 200k for claude-sonnet-4.
    expect(endpoint("anthropic:claude-3-haiku-20240307")).toMatchObject({
      inputPrice: 250_000_000n,
      cacheWrite1hPrice: 500_000_000n,
    });
    expect(endpoint("anthropic:claude-sonnet-4-20250514")).toMatchObject({
      cacheWrite1hPrice: 6_000_000_000n,
      longCacheWrite1hPrice: 12_000_000_000n,
    });
    expect(endpoint("openai:gpt-4o")).toMatchObject({ cacheWrite1hPrice: null, longCacheWrite1hPrice: null });
  });

  it("prices an hour's cache write apart, also above the threshold", () => {
    expect(endpoint("anthropic:claude-sonnet-4-5")).toMatchObject({
      cacheWritePrice: 3_750_000_000n,
      cacheWrite1hPrice: 6_000_000_000n,
      longContextAbove: 200_000,
      longCacheWritePrice: 7_500_000_000n,
      longCacheWrite1hPrice: 12_000_000_000n,
    });
  });

  it("keeps the price below the threshold for a class the source does not price above it", () => {
    // grok-4-fast-reasoning: $0.20 / $0.40 per M input below / above 128k; cache reads $0.05 either way.
    expect(endpoint("xai:grok-4-fast-reasoning")).toMatchObject({
      longContextAbove: 128_000,
      longInputPrice: 400_000_000n,
      cachedInputPrice: 50_000_000n,
      longCachedInputPrice: 50_000_000n,
    });
    // No tier at all: every long price is null, and the one-hour write is still priced.
    expect(endpoint("anthropic:claude-opus-4-6")).toMatchObject({
      longContextAbove: null,
      longCachedInputPrice: null,
      cacheWrite1hPrice: 10_000_000_000n,
    });
  });
});

describe("sandbox models", () => {
  it("are priced like real models", () => {
    expect(endpoint("sandbox:junction-small")).toMatchObject({
      modelId: "sandbox/junction-small",
      inputPrice: 100_000_000n, // $0.10 / M
      outputPrice: 400_000_000n,
      cachedInputPrice: 25_000_000n,
      contextLength: 128_000,
      maxOutputTokens: 16_384,
      supportsTools: true,
      supportsJsonSchema: true,
      supportsVision: true,
    });
    expect(endpoint("sandbox:junction-large")).toMatchObject({
      inputPrice: 1_000_000_000n,
      outputPrice: 4_000_000_000n,
      cachedInputPrice: 250_000_000n,
    });
    expect(endpoint("sandbox:junction-embed")).toMatchObject({ inputPrice: 20_000_000n, outputPrice: 0n });
    expect(catalog.models.find((m) => m.id === "sandbox/junction-embed")?.kind).toBe("embedding");
    expect(catalog.providers.find((p) => p.id === "sandbox")?.adapter).toBe("sandbox");
  });
});
