import type { CatalogProvider } from "./types.js";

/**
 * The providers the catalog imports, keyed by LiteLLM's `litellm_provider` (also our provider id).
 *
 * Data-policy fields are DEFAULTS approximating each provider's published API policy when this table was written
 * (API traffic not used for training, abuse-monitoring retention in days, zero-data-retention hosts). Operators
 * must review them against current terms and their own contracts before relying on them for routing policies.
 * `null` retention means "not published / unknown". Base URLs stay null: adapters use PROVIDER_ENV defaults.
 */
export const CATALOG_PROVIDERS: readonly CatalogProvider[] = [
  policy("openai", "OpenAI", "openai", { retentionDays: 30 }),
  policy("anthropic", "Anthropic", "anthropic", { retentionDays: 30 }),
  policy("gemini", "Google AI Studio", "gemini", { retentionDays: 55 }),
  policy("mistral", "Mistral", "openai_compatible", { retentionDays: 30 }),
  policy("groq", "Groq", "openai_compatible", { zdr: true }),
  // DeepSeek's privacy policy allows using inputs to improve its services: treat as training unless reviewed.
  policy("deepseek", "DeepSeek", "openai_compatible", { trainsOnData: true }),
  policy("xai", "xAI", "openai_compatible", { retentionDays: 30 }),
  policy("together_ai", "Together AI", "openai_compatible", { zdr: true }),
  policy("fireworks_ai", "Fireworks AI", "openai_compatible", { zdr: true }),
  policy("deepinfra", "DeepInfra", "openai_compatible", { zdr: true }),
  // A router: the effective policy is the underlying host's; nothing is promised at this level.
  policy("openrouter", "OpenRouter", "openai_compatible", {}),
  policy("perplexity", "Perplexity", "openai_compatible", {}),
  policy("cerebras", "Cerebras", "openai_compatible", { zdr: true }),
  policy("sandbox", "Junction Sandbox", "sandbox", { zdr: true }),
];

function policy(
  id: string,
  name: string,
  adapter: CatalogProvider["adapter"],
  terms: { trainsOnData?: boolean; retentionDays?: number; zdr?: boolean },
): CatalogProvider {
  const zdr = terms.zdr ?? false;
  return {
    id,
    name,
    adapter,
    baseUrl: null,
    trainsOnData: terms.trainsOnData ?? false,
    retentionDays: terms.retentionDays ?? (zdr ? 0 : null),
    zdr,
  };
}

/** The LiteLLM providers imported from model-prices.json (every catalog provider but the built-in sandbox). */
export const LITELLM_PROVIDER_IDS: readonly string[] = CATALOG_PROVIDERS.map(
  (provider) => provider.id,
).filter((id) => id !== "sandbox");
