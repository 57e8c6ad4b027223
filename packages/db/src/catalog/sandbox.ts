import { usdToNano } from "@junction/core";
import type { CatalogEndpoint, CatalogModel, ModelKind } from "./types.js";

/**
 * prisma/data/sandbox-models.json → the built-in sandbox provider's models and endpoints. Prices there are decimal
 * strings in USD per million tokens, so `usdToNano` gives nano-USD per million exactly.
 */
export function sandboxCatalog(jsonText: string): { models: CatalogModel[]; endpoints: CatalogEndpoint[] } {
  const document: unknown = JSON.parse(jsonText);
  const list = isRecord(document) ? document.models : undefined;
  if (!Array.isArray(list)) throw new TypeError("sandbox models JSON needs a `models` array");
  const models: CatalogModel[] = [];
  const endpoints: CatalogEndpoint[] = [];
  for (const item of list) {
    const spec = readSpec(item);
    const providerModelId = spec.id.slice("sandbox/".length);
    models.push({
      id: spec.id,
      name: spec.name,
      author: "sandbox",
      description: spec.description,
      modality:
        spec.kind === "embedding"
          ? "text->embedding"
          : spec.supportsVision
            ? "text+image->text"
            : "text->text",
      kind: spec.kind,
      contextLength: spec.contextLength,
    });
    endpoints.push({
      id: `sandbox:${providerModelId}`,
      modelId: spec.id,
      providerId: "sandbox",
      providerModelId,
      inputPrice: usdToNano(spec.inputPerMillion),
      outputPrice: usdToNano(spec.outputPerMillion),
      cachedInputPrice: spec.cachedInputPerMillion === null ? null : usdToNano(spec.cachedInputPerMillion),
      cacheWritePrice: null,
      requestPrice: null,
      imagePrice: null,
      cacheWrite1hPrice: null,
      longContextAbove: null,
      longInputPrice: null,
      longOutputPrice: null,
      longCachedInputPrice: null,
      longCacheWritePrice: null,
      longCacheWrite1hPrice: null,
      contextLength: spec.contextLength,
      maxOutputTokens: spec.maxOutputTokens,
      supportsTools: spec.supportsTools,
      supportsJsonSchema: spec.supportsJsonSchema,
      supportsVision: spec.supportsVision,
      supportsPromptCache: spec.supportsPromptCache,
      supportsReasoning: spec.supportsReasoning,
      quantization: null,
    });
  }
  return { models, endpoints };
}

type SandboxSpec = {
  id: string;
  name: string;
  kind: ModelKind;
  description: string | null;
  inputPerMillion: string;
  outputPerMillion: string;
  cachedInputPerMillion: string | null;
  contextLength: number | null;
  maxOutputTokens: number | null;
  supportsTools: boolean;
  supportsJsonSchema: boolean;
  supportsVision: boolean;
  supportsPromptCache: boolean;
  supportsReasoning: boolean;
};

function readSpec(item: unknown): SandboxSpec {
  if (!isRecord(item)) throw new TypeError("each sandbox model must be an object");
  const id = item.id;
  if (typeof id !== "string" || !/^sandbox\/[a-z0-9][a-z0-9.-]*$/.test(id)) {
    throw new TypeError(`sandbox model id must look like "sandbox/<name>", got ${JSON.stringify(id)}`);
  }
  const field = (name: string) => item[name];
  const str = (name: string): string => {
    const value = field(name);
    if (typeof value !== "string") throw new TypeError(`${id}: ${name} must be a string`);
    return value;
  };
  const optionalStr = (name: string): string | null => (field(name) === undefined ? null : str(name));
  const int = (name: string): number | null => {
    const value = field(name);
    if (value === undefined || value === null) return null;
    if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new TypeError(`${id}: ${name}`);
    return value;
  };
  const flag = (name: string): boolean => field(name) === true;
  const kind = field("kind");
  if (kind !== "chat" && kind !== "embedding") throw new TypeError(`${id}: kind must be chat or embedding`);
  return {
    id,
    name: str("name"),
    kind,
    description: optionalStr("description"),
    inputPerMillion: str("inputPerMillion"),
    outputPerMillion: str("outputPerMillion"),
    cachedInputPerMillion: optionalStr("cachedInputPerMillion"),
    contextLength: int("contextLength"),
    maxOutputTokens: int("maxOutputTokens"),
    supportsTools: flag("supportsTools"),
    supportsJsonSchema: flag("supportsJsonSchema"),
    supportsVision: flag("supportsVision"),
    supportsPromptCache: flag("supportsPromptCache"),
    supportsReasoning: flag("supportsReasoning"),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
