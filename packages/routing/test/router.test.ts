import { PROVIDER_ENV } from "@junction/config";
import { JunctionError } from "@junction/core";
import { describe, expect, it } from "vitest";
import type { CatalogEndpoint, CatalogModel, CatalogSnapshot } from "../src/catalog.js";
import { parseProviderPreferences } from "../src/preferences.js";
import { type EndpointStats, planRoute, type RouteInputs } from "../src/router.js";

/** Every provider has a platform key, so every endpoint here is callable. */
const providerEnv = Object.fromEntries(Object.values(PROVIDER_ENV).map((spec) => [spec.key, "upstream-key"]));

function endpoint(
  model: string,
  providerId: string,
  providerName: string,
  usdPerMillion: number,
): CatalogEndpoint {
  return {
    id: `${providerId}:${model}`,
    modelId: model,
    providerId,
    providerName,
    adapter: "openai_compatible",
    providerModelId: model,
    prices: { input: BigInt(usdPerMillion * 1e9), output: BigInt(usdPerMillion * 1e9) },
    status: "active",
    zdr: true,
    trainsOnData: false,
    quantization: null,
    contextLength: null,
    maxOutputTokens: null,
    supportsReasoning: false,
    supportsTools: true,
    supportsJsonSchema: true,
    supportsVision: true,
  };
}

function model(id: string, endpoints: CatalogEndpoint[]): CatalogModel {
  return {
    id,
    name: id,
    kind: "chat",
    description: null,
    contextLength: null,
    createdAt: new Date(0),
    endpoints,
  };
}

// Llama on three hosts (Groq cheapest, then Together, then DeepInfra); a second model on two.
const catalog: CatalogSnapshot = {
  models: new Map([
    [
      "meta/llama",
      model("meta/llama", [
        endpoint("meta/llama", "together_ai", "Together AI", 0.8),
        endpoint("meta/llama", "groq", "Groq", 0.5),
        endpoint("meta/llama", "deepinfra", "DeepInfra", 0.9),
      ]),
    ],
    [
      "mistral/small",
      model("mistral/small", [
        endpoint("mistral/small", "mistral", "Mistral", 0.3),
        endpoint("mistral/small", "together_ai", "Together AI", 0.2),
      ]),
    ],
  ]),
  priceTableVersion: 1,
  loadedAt: new Date(0),
};

function plan(
  body: { model: string; models?: string[]; provider?: unknown; max_tokens?: number },
  overrides: Partial<RouteInputs> = {},
) {
  return planRoute({ messages: [{ content: "Hi" }], ...body }, parseProviderPreferences(body.provider), {
    catalog,
    providerEnv,
    hasAdapter: () => true,
    openUntil: () => null,
    stats: () => undefined,
    policy: undefined,
    promptTokens: 10,
    kind: "chat",
    random: () => 0,
    byok: new Map(),
    byokOnly: false,
    byokFeeBps: 500,
    ...overrides,
  });
}

const providers = (route: ReturnType<typeof plan>) =>
  route.candidates.map((candidate) => `${candidate.endpoint.modelId}@${candidate.endpoint.providerId}`);

function refusal(run: () => unknown): JunctionError {
  try {
    run();
  } catch (error) {
    if (error instanceof JunctionError) return error;
    throw error;
  }
  throw new Error("expected a JunctionError");
}

describe("provider names", () => {
  it("match OpenRouter's slugs and display names in order, only and ignore, in any case", () => {
    expect(providers(plan({ model: "meta/llama", provider: { order: ["together", "DeepInfra"] } }))).toEqual([
      "meta/llama@together_ai",
      "meta/llama@deepinfra",
      "meta/llama@groq",
    ]);
    expect(providers(plan({ model: "meta/llama", provider: { ignore: ["Groq", "Together AI"] } }))).toEqual([
      "meta/llama@deepinfra",
    ]);
    expect(providers(plan({ model: "meta/llama", provider: { only: ["TOGETHER"] } }))).toEqual([
      "meta/llama@together_ai",
    ]);
  });

  it("refuse a provider both allowed and ignored, naming it", () => {
    const error = refusal(() =>
      plan({ model: "meta/llama", provider: { only: ["groq"], ignore: ["Groq"] } }),
    );
    expect(error.status).toBe(400);
    expect(error.param).toBe("provider.ignore");
    expect(error.message).toContain('"groq"');
  });

  it("a request no provider is left for names the provider field", () => {
    const error = refusal(() => plan({ model: "meta/llama", provider: { only: ["openai"] } }));
    expect(error.status).toBe(400);
    expect(error.param).toBe("provider");
  });
});

describe("orderings", () => {
  it("provider.order comes first and sort orders the rest, rather than one silently dropping the other", () => {
    const stats = (id: string): EndpointStats | undefined =>
      ({
        "deepinfra:meta/llama": { latencyMs: 100, tokensPerSecond: 300, samples: 5 },
        "groq:meta/llama": { latencyMs: 50, tokensPerSecond: 100, samples: 5 },
      })[id];
    expect(
      providers(plan({ model: "meta/llama", provider: { order: ["together_ai"], sort: "price" } })),
    ).toEqual(["meta/llama@together_ai", "meta/llama@groq", "meta/llama@deepinfra"]);
    expect(providers(plan({ model: "meta/llama:nitro", provider: { order: ["groq"] } }, { stats }))).toEqual([
      "meta/llama@groq",
      "meta/llama@deepinfra",
      "meta/llama@together_ai",
    ]);
  });

  it("sort by throughput or latency puts endpoints without stats last, cheaper first among ties", () => {
    const stats = (id: string): EndpointStats | undefined =>
      id === "deepinfra:meta/llama" ? { latencyMs: 100, tokensPerSecond: 50, samples: 3 } : undefined;
    for (const sort of ["throughput", "latency"]) {
      expect(providers(plan({ model: "meta/llama", provider: { sort } }, { stats }))).toEqual([
        "meta/llama@deepinfra",
        "meta/llama@groq",
        "meta/llama@together_ai",
      ]);
    }
  });

  it("each model's suffix orders its own endpoints", () => {
    // The first model is drawn at random (random() = 0.999: the dearest); the fallback model asked for :floor.
    const route = plan({ model: "meta/llama", models: ["mistral/small:floor"] }, { random: () => 0.999 });
    expect(providers(route)).toEqual([
      "meta/llama@deepinfra",
      "meta/llama@groq",
      "meta/llama@together_ai",
      "mistral/small@together_ai",
      "mistral/small@mistral",
    ]);
    expect(route.strategy).toBe("weighted");
  });

  it("prompt-cache affinity never puts a fallback model ahead of the model asked for", () => {
    const route = plan(
      { model: "meta/llama", models: ["mistral/small"] },
      { affinity: "mistral:mistral/small" },
    );
    expect(providers(route)[0]).toBe("meta/llama@groq");
    // Within the first model it still applies.
    const same = plan({ model: "meta/llama" }, { affinity: "deepinfra:meta/llama" });
    expect(providers(same)[0]).toBe("meta/llama@deepinfra");
  });
});

describe("allow_fallbacks: false", () => {
  it("with provider.order, tries the ordered providers in turn and no other", () => {
    const route = plan({
      model: "meta/llama",
      provider: { order: ["deepinfra", "together"], allow_fallbacks: false },
    });
    expect(providers(route)).toEqual(["meta/llama@deepinfra", "meta/llama@together_ai"]);
    expect(route.fallbacksDisabled).toBe(true);
  });

  it("without order, keeps each model to its first provider and says why the others are out", () => {
    const route = plan({
      model: "meta/llama",
      models: ["mistral/small"],
      provider: { allow_fallbacks: false },
    });
    expect(providers(route)).toEqual(["meta/llama@groq", "mistral/small@together_ai"]);
    expect(route.excluded).toContainEqual(
      expect.objectContaining({
        endpoint: "together_ai:meta/llama",
        reason: "a backup provider, and allow_fallbacks is false",
      }),
    );
  });
});

describe("max_price", () => {
  it("takes USD per million tokens as numbers or strings, as OpenRouter's clients send them", () => {
    for (const prompt of [0.6, "0.6"]) {
      expect(providers(plan({ model: "meta/llama", provider: { max_price: { prompt } } }))).toEqual([
        "meta/llama@groq",
      ]);
    }
    const bad = refusal(() => plan({ model: "meta/llama", provider: { max_price: { prompt: "cheap" } } }));
    expect(bad.param).toBe("provider.max_price.prompt");
  });

  it("a cap no endpoint meets is a 400 naming max_price", () => {
    const error = refusal(() =>
      plan({ model: "meta/llama", provider: { max_price: { prompt: "0.1", completion: 5 } } }),
    );
    expect(error.status).toBe(400);
    expect(error.param).toBe("provider.max_price");
    expect(error.message).toContain("prompt price above provider.max_price.prompt");
  });

  it("caps the per-request price too", () => {
    const perRequest = structuredClone(catalog);
    const groq = perRequest.models.get("meta/llama")?.endpoints.find((e) => e.providerId === "groq");
    if (groq) groq.prices.request = 5_000_000n; // $0.005 a request
    const route = plan(
      { model: "meta/llama", provider: { max_price: { request: "0.001" }, sort: "price" } },
      { catalog: perRequest },
    );
    expect(route.candidates.map((c) => c.endpoint.providerId)).toEqual(["together_ai", "deepinfra"]);
  });
});

describe("model names", () => {
  it("take a model's name without its author when one model has it, as clients of the maker's own API send it", () => {
    expect(providers(plan({ model: "llama" }))[0]).toBe("meta/llama@groq");
    expect(providers(plan({ model: "Small:floor" }))).toEqual([
      "mistral/small@together_ai",
      "mistral/small@mistral",
    ]);
    // A fallback model by its bare name, and a policy that names the model by its id, see the same model.
    expect(providers(plan({ model: "nope", models: ["small"] }))).toHaveLength(2);
  });

  it("refuse a name two authors share, listing the ids to write instead", () => {
    const shared: CatalogSnapshot = {
      ...catalog,
      models: new Map([
        ...catalog.models,
        ["local/llama", model("local/llama", [endpoint("local/llama", "local", "Local", 0)])],
      ]),
    };
    const error = refusal(() => plan({ model: "llama" }, { catalog: shared }));
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      'Model "llama" names several models (meta/llama, local/llama): use one of these ids.',
    );
    // The full id still works, and a name with an author is never guessed at.
    expect(providers(plan({ model: "local/llama" }, { catalog: shared }))).toEqual(["local/llama@local"]);
    expect(refusal(() => plan({ model: "other/llama" })).status).toBe(404);
  });
});

describe("a field no allowed endpoint takes", () => {
  const refusesLogitBias: RouteInputs["refusedParameter"] = (candidate) =>
    candidate.providerId === "groq" ? { parameter: "logit_bias", binding: true } : undefined;

  it("is the error's param, though the caller's provider preferences left the other endpoints out", () => {
    const error = refusal(() =>
      plan({ model: "meta/llama", provider: { only: ["groq"] } }, { refusedParameter: refusesLogitBias }),
    );
    expect(error).toMatchObject({ status: 400, param: "logit_bias" });
    expect(error.message).toContain("groq:meta/llama: does not take logit_bias");
  });

  it("is not named when the preferences alone left nothing", () => {
    const error = refusal(() =>
      plan({ model: "meta/llama", provider: { only: ["groq"], quantizations: ["fp4"] } }),
    );
    expect(error).toMatchObject({ status: 400, param: "provider" });
  });
});

describe("max_tokens as a ceiling (Anthropic's Messages API)", () => {
  // Groq answers at most 1,000 tokens, Together 50,000; DeepInfra's maximum is unknown.
  const limited = (maxOutputTokens: number | null, base: CatalogEndpoint) => ({ ...base, maxOutputTokens });
  const [together, groq, deepinfra] = (catalog.models.get("meta/llama") as CatalogModel).endpoints as [
    CatalogEndpoint,
    CatalogEndpoint,
    CatalogEndpoint,
  ];
  const ceilingCatalog: CatalogSnapshot = {
    ...catalog,
    models: new Map([
      ["meta/llama", model("meta/llama", [limited(50_000, together), limited(1_000, groq), deepinfra])],
    ]),
  };
  const route = (ceiling: boolean) =>
    plan({ model: "meta/llama", max_tokens: 32_000 }, { catalog: ceilingCatalog, maxTokensCeiling: ceiling });

  it("sends an endpoint with a smaller maximum output its maximum, reserving that much, rather than passing it over", () => {
    const limits = route(true).candidates.map(({ endpoint, maxTokens, worstCase }) => ({
      provider: endpoint.providerId,
      maxTokens,
      worstCase,
    }));
    // $0.5/M for 10 + 1,000 tokens at Groq; $0.8/M and $0.9/M for 10 + 32,000 elsewhere.
    expect(limits).toEqual([
      { provider: "groq", maxTokens: 1_000, worstCase: 505_000n },
      { provider: "together_ai", maxTokens: undefined, worstCase: 25_608_000n },
      { provider: "deepinfra", maxTokens: undefined, worstCase: 28_809_000n },
    ]);
  });

  it("stays a refusal on OpenAI's routes, where a max_tokens above the maximum is an error", () => {
    const plain = route(false);
    expect(providers(plain)).toEqual(["meta/llama@together_ai", "meta/llama@deepinfra"]);
    expect(plain.excluded[0]?.reason).toBe("max_tokens 32000 exceeds the endpoint's maximum output of 1000");
  });
});
