import { OPENAI_HINTS } from "./types.js";

/**
 * OpenRouter passes cache breakpoints and reasoning (requests, earlier turns' signed thinking) on to the models that
 * use them; other hosts cache on their own and take neither.
 */
export const SPEAKS_OPENROUTER: ReadonlySet<string> = new Set(["openrouter"]);

/** Where an OpenAI-format request goes: its host, and whether the model reasons (OpenAI's reasoners refuse logprobs). */
export type OpenAiHostTarget = {
  providerId: string;
  providerModelId?: string | undefined;
  reasons?: boolean | undefined;
  byok?: boolean | undefined;
};
type Takes = (target: OpenAiHostTarget) => boolean;
const hosts =
  (...ids: string[]): Takes =>
  (target) =>
    ids.includes(target.providerId);

const NO_HOST: Takes = () => false;
const OPENROUTER: Takes = (target) => SPEAKS_OPENROUTER.has(target.providerId);
/**
 * The samplers open models have beyond OpenAI's (`top_k`, `min_p`, `repetition_penalty`): OpenRouter, the open-model
 * hosts, vLLM and Ollama take them; OpenAI's own API refuses them. `top_a` is OpenRouter's alone.
 */
const OPEN_SAMPLERS = ["top_k", "min_p", "repetition_penalty"] as const;
const TAKES_OPEN_SAMPLERS = hosts("openrouter", "together_ai", "fireworks_ai", "deepinfra", "local");
/**
 * Token log probabilities: OpenAI and the hosts that return them in its format (Groq, Mistral and others refuse them;
 * Together takes a number and answers in the legacy completions shape); not OpenAI's reasoning models, which refuse
 * them too.
 */
const LOGPROB_HOSTS = hosts("openai", "openrouter", "fireworks_ai", "deepinfra", "xai", "local");
const RETURNS_LOGPROBS: Takes = (target) =>
  LOGPROB_HOSTS(target) && !(target.reasons && target.providerId === "openai");
/**
 * OpenAI's stored completions (`store`, and the `metadata` they are filed under) keep the conversation in the account
 * whose key made the call: only the organization's own (BYOK). On the platform's account they would keep a tenant's
 * prompts where the tenant cannot see or delete them, whatever its prompt-logging setting says.
 */
const STORES_IN_OWN_ACCOUNT: Takes = (target) => target.byok === true && target.providerId === "openai";
/**
 * Mistral refuses every field it does not know (422 `extra_forbidden`), `stream_options` among them (its streams end
 * with their usage anyway) and `user`.
 */
const NOT_MISTRAL: Takes = (target) => target.providerId !== "mistral";
/** Cerebras answers 400 for the penalties and `parallel_tool_calls` (its docs' list of unsupported fields). */
const NOT_CEREBRAS: Takes = (target) => target.providerId !== "cerebras";
/**
 * OpenAI's o-series (o1, o3, o4-mini) answer 400 "Unsupported parameter: 'parallel_tool_calls'", even `false`; GPT-5
 * and the GPT models take it.
 */
const O_SERIES = /^o\d/;
const TAKES_PARALLEL_TOOL_CALLS: Takes = (target) =>
  NOT_CEREBRAS(target) && !(target.providerId === "openai" && O_SERIES.test(target.providerModelId ?? ""));
/**
 * An organization's own OpenAI-compatible endpoint (the gateway's `custom` provider): what it takes is between the
 * organization and its server, so the fields that bind the answer go to it as the client wrote them.
 */
const CUSTOM_ENDPOINT = "custom";
/**
 * A token bias: the hosts that honour it. Groq and Cerebras answer 400 for it, Mistral 422; DeepSeek and Perplexity
 * do not document it (a host that ignored it would answer as if it had not been asked).
 */
const LOGIT_BIAS_HOSTS = hosts(
  "openai",
  "openrouter",
  "together_ai",
  "fireworks_ai",
  "xai",
  "local",
  CUSTOM_ENDPOINT,
);
/** OpenAI's reasoning models refuse it too ("not supported with this model"). */
const TAKES_LOGIT_BIAS: Takes = (target) =>
  LOGIT_BIAS_HOSTS(target) && !(target.reasons && target.providerId === "openai");

/**
 * Perplexity's search options (its API reference): what its search looks at and what else it returns (images, related
 * questions). Other hosts refuse them or ignore them; an organization's own endpoint may be Perplexity behind a proxy.
 */
const PERPLEXITY_SEARCH_FIELDS = [
  "search_mode",
  "search_domain_filter",
  "search_recency_filter",
  "search_after_date_filter",
  "search_before_date_filter",
  "last_updated_after_filter",
  "last_updated_before_filter",
  "search_language_filter",
  "language_preference",
  "return_images",
  "image_domain_filter",
  "image_format_filter",
  "return_related_questions",
  "enable_search_classifier",
  "disable_search",
] as const;

/**
 * Fields of a chat request that go to an OpenAI-format host only if it takes them; others may refuse a field they do
 * not know, and lose nothing without it (as OpenRouter leaves out what a provider does not take).
 */
export const OPENAI_HOST_FIELDS: readonly (readonly [string, Takes])[] = [
  // Junction's own (routing and provider preferences, the client's betas): no upstream sees them.
  ...[
    "models",
    "provider",
    "transforms",
    "route",
    "usage",
    "anthropic_beta",
    "anthropic_output_config",
    "legacy_functions",
  ].map((field) => [field, NO_HOST] as const),
  ["reasoning", OPENROUTER],
  ["cache_control", OPENROUTER],
  ...OPENAI_HINTS.map((hint) => [hint, hosts("openai", "openrouter")] as const),
  ...OPEN_SAMPLERS.map((sampler) => [sampler, TAKES_OPEN_SAMPLERS] as const),
  ["top_a", OPENROUTER],
  ["logprobs", RETURNS_LOGPROBS],
  ["top_logprobs", RETURNS_LOGPROBS],
  ["store", STORES_IN_OWN_ACCOUNT],
  ["metadata", STORES_IN_OWN_ACCOUNT],
  ["user", NOT_MISTRAL],
  ["stream_options", NOT_MISTRAL],
  ...["presence_penalty", "frequency_penalty"].map((field) => [field, NOT_CEREBRAS] as const),
  ["parallel_tool_calls", TAKES_PARALLEL_TOOL_CALLS],
  // Predicted outputs only speed an answer up; output modalities other than text are refused at the edge.
  ["prediction", hosts("openai", "mistral")],
  ["modalities", hosts("openai", "openrouter")],
  ["logit_bias", TAKES_LOGIT_BIAS],
  ...PERPLEXITY_SEARCH_FIELDS.map((field) => [field, hosts("perplexity", CUSTOM_ENDPOINT)] as const),
];

/** A host's own names for request fields, by host: Mistral's seed is `random_seed`. */
export const OPENAI_HOST_RENAMES: ReadonlyMap<string, readonly (readonly [string, string])[]> = new Map([
  ["mistral", [["seed", "random_seed"]]],
]);
const OPENAI_HOSTS_BY_FIELD = new Map(OPENAI_HOST_FIELDS);

/** Whether a field of a chat request is sent to an OpenAI-format host (the fields not in the table always are). */
export function openAiHostTakes(field: string, target: OpenAiHostTarget): boolean {
  return OPENAI_HOSTS_BY_FIELD.get(field)?.(target) ?? true;
}

/**
 * The request parameters that only some endpoints honour (the rest are dropped on the way, as OpenRouter does): what
 * `/v1/models` lists per endpoint and what `provider.require_parameters` routes by.
 */
export const OPTIONAL_PARAMETERS = [...OPEN_SAMPLERS, "top_a", "logprobs", "top_logprobs"] as const;
export type OptionalParameter = (typeof OPTIONAL_PARAMETERS)[number];

/**
 * Whether an endpoint (its protocol, host and model) is sent, and so honours, one of the optional parameters;
 * `thinking`: the request asks the model to reason (Anthropic takes no `top_k` beside thinking).
 */
export function takesParameter(
  endpoint: { adapter: string; providerId: string; supportsReasoning: boolean },
  parameter: OptionalParameter,
  thinking = false,
): boolean {
  if (endpoint.adapter === "anthropic")
    return parameter === "top_k" && !(thinking && endpoint.supportsReasoning);
  if (endpoint.adapter === "gemini") return parameter === "top_k";
  if (endpoint.adapter === "sandbox") return false;
  return openAiHostTakes(parameter, { providerId: endpoint.providerId, reasons: endpoint.supportsReasoning });
}

/**
 * Fields that bind what the model may answer, and that only some OpenAI-format hosts take: a token bias
 * (`logit_bias`: a ban, or a forced label). Anthropic, Gemini and the sandbox have no equivalent, and the hosts that
 * do not take it refuse it or would answer another answer without it: those endpoints are passed over, and a request
 * no endpoint can serve is refused naming the field. (OpenAI's legacy `functions` are not among them: the gateway
 * sends them to every model as `tools`.)
 */
export const BINDING_PARAMETERS = ["logit_bias"] as const;
export type BindingParameter = (typeof BINDING_PARAMETERS)[number];

/** The adapters that send a chat request in OpenAI's format (organizations' custom endpoints among them). */
const OPENAI_FORMAT_ADAPTERS: ReadonlySet<string> = new Set(["openai", "openai_compatible", "custom_openai"]);

/** Whether an endpoint (its protocol and host) is sent, and so honours, one of the BINDING_PARAMETERS. */
export const takesBindingParameter = (
  endpoint: { adapter: string; providerId: string; supportsReasoning: boolean },
  parameter: BindingParameter,
): boolean =>
  OPENAI_FORMAT_ADAPTERS.has(endpoint.adapter) &&
  openAiHostTakes(parameter, { providerId: endpoint.providerId, reasons: endpoint.supportsReasoning });
