/** Plain catalog records, shaped like the Provider / Model / Endpoint rows they are upserted into. */

export type ProviderAdapter = "openai" | "anthropic" | "gemini" | "openai_compatible" | "sandbox";

export type CatalogProvider = {
  id: string;
  name: string;
  adapter: ProviderAdapter;
  /** null: the adapter's configured default (PROVIDER_ENV in @junction/config, overridable by env). */
  baseUrl: string | null;
  trainsOnData: boolean;
  retentionDays: number | null;
  zdr: boolean;
};

export type ModelKind = "chat" | "embedding";

export type CatalogModel = {
  id: string;
  name: string;
  author: string;
  description: string | null;
  modality: string;
  kind: ModelKind;
  contextLength: number | null;
};

/** Prices are nano-USD per million tokens; requestPrice and imagePrice are nano-USD per request / image. */
export type CatalogEndpoint = {
  id: string;
  modelId: string;
  providerId: string;
  providerModelId: string;
  inputPrice: bigint;
  outputPrice: bigint;
  cachedInputPrice: bigint | null;
  cacheWritePrice: bigint | null;
  requestPrice: bigint | null;
  imagePrice: bigint | null;
  /** A cache write kept for an hour (Anthropic's `ttl: "1h"`). */
  cacheWrite1hPrice: bigint | null;
  /**
   * The long-context tier: a request whose prompt is over `longContextAbove` tokens has every token charged at the
   * `long…` prices (each set whenever the tier is: a class the source does not price above the threshold keeps its
   * price below it).
   */
  longContextAbove: number | null;
  longInputPrice: bigint | null;
  longOutputPrice: bigint | null;
  longCachedInputPrice: bigint | null;
  longCacheWritePrice: bigint | null;
  longCacheWrite1hPrice: bigint | null;
  contextLength: number | null;
  maxOutputTokens: number | null;
  supportsTools: boolean;
  supportsJsonSchema: boolean;
  supportsVision: boolean;
  supportsPromptCache: boolean;
  supportsReasoning: boolean;
  quantization: string | null;
};

export type SkipReason =
  | "unpriced" // no input or output price: never billed at $0
  | "zero-priced" // every price is 0, which LiteLLM also uses for "unknown"
  | "not-a-model" // pricing tiers, fine-tune templates, alias spellings the upstream API does not accept
  | "duplicate" // another source key names the same upstream model on the same provider
  | "bad-price" // a price that is not an exact nano-USD amount
  | "kind-conflict"; // normalises to a model id already used by a model of another kind

export type SkippedEntry = { key: string; reason: SkipReason; detail?: string };

export type Catalog = {
  providers: CatalogProvider[];
  models: CatalogModel[];
  endpoints: CatalogEndpoint[];
  skipped: SkippedEntry[];
};
