/**
 * The internal request/response shape is OpenAI's Chat Completions format (the lingua franca every client speaks).
 * Adapters translate it to and from each provider's wire protocol; the gateway's Anthropic route translates at
 * its edge. Only the fields Junction reads are typed; everything else passes through untouched.
 */
/**
 * A prompt-cache breakpoint: Anthropic's `cache_control`, which OpenAI-format requests carry on content parts and
 * tools as OpenRouter does. Adapters for providers that cache on their own (OpenAI and most hosts) leave it out.
 */
export type CacheControl = { type: "ephemeral"; ttl?: "5m" | "1h" };

/**
 * What an Anthropic client said of a document besides its content: its title (a text document's; a PDF's is its
 * filename), context, and whether Claude may cite it. Carried to Claude only: OpenAI-format hosts get the part without.
 */
export type DocumentSettings = { title?: string; context?: string; citations?: { enabled: boolean } };

export type ContentPart =
  /** With `document`: a plain-text document an Anthropic client sent (its text, for any other model). */
  | { type: "text"; text: string; cache_control?: CacheControl; document?: DocumentSettings }
  | { type: "image_url"; image_url: { url: string; detail?: string }; cache_control?: CacheControl }
  /** A document (a PDF), as OpenAI takes it: `file_data` is a base64 data URL. */
  | {
      type: "file";
      file: { file_data: string; filename?: string };
      cache_control?: CacheControl;
      document?: DocumentSettings;
    };

export type ToolCall = {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
  /**
   * A breakpoint on Anthropic's tool_use block (Claude Code marks its last two turns' last blocks): carried to
   * Anthropic only; OpenAI-format hosts take none on a tool call.
   */
  cache_control?: CacheControl;
};

/**
 * A piece of a model's reasoning, as OpenRouter carries it: text with the signature that vouches for it (Anthropic
 * wants both back on the next turn), or reasoning the provider encrypted. Streamed, a block's text arrives in pieces
 * that share its `index`, its signature last.
 */
export type ReasoningDetail = (
  | { type: "reasoning.text"; text?: string; signature?: string }
  | { type: "reasoning.summary"; summary: string }
  | { type: "reasoning.encrypted"; data: string }
) & {
  index?: number;
  /** Whose reasoning it is (OpenRouter's field): only Claude's, `anthropic-claude-v1`, can go back to Anthropic. */
  format?: string;
  /** The tool call the reasoning belongs to (OpenRouter's field): Gemini signs a turn's function call. */
  id?: string;
};

export const ANTHROPIC_REASONING_FORMAT = "anthropic-claude-v1";

/**
 * OpenAI's own request hints (cache routing, abuse tracking, service tier, verbosity): OpenAI and OpenRouter take
 * them; other hosts may refuse a field they do not know, and lose nothing without them.
 */
export const OPENAI_HINTS = ["prompt_cache_key", "safety_identifier", "service_tier", "verbosity"] as const;

/** OpenRouter's reasoning request: a token budget, or an effort (a share of max_tokens). */
export type ReasoningRequest = {
  effort?: string;
  max_tokens?: number;
  enabled?: boolean;
  /** Anthropic's adaptive thinking (the model decides how much; the newest Claude models take only this). */
  adaptive?: boolean;
  /** OpenRouter's: the model reasons as asked (and it is billed) but the answer leaves the reasoning out. */
  exclude?: boolean;
};

export type ChatMessage =
  | { role: "system" | "developer"; content: string | ContentPart[]; name?: string }
  | { role: "user"; content: string | ContentPart[]; name?: string }
  | {
      role: "assistant";
      content: string | ContentPart[] | null;
      /** An earlier answer's refusal, as OpenAI's SDKs hand it back (content null). */
      refusal?: string | null;
      tool_calls?: ToolCall[];
      name?: string;
      reasoning_details?: ReasoningDetail[];
    }
  | {
      role: "tool";
      content: string | ContentPart[];
      tool_call_id: string;
      /** Anthropic's `is_error` (the tool failed), carried from the Anthropic route; OpenAI-format hosts take none. */
      is_error?: boolean;
    };

/**
 * An answer's words for counting and for clients that have one text: its content, and a refusal's words after it.
 * (OpenAI's refusal comes with null content.)
 */
export const answerText = (
  content: string | null | undefined,
  refusal: string | null | undefined,
): string | undefined => (refusal ? (content ?? "") + refusal : (content ?? undefined));

/** An earlier assistant turn's content as another provider is sent it: a refusal (content null) is its words. */
export const replayedContent = (message: Extract<ChatMessage, { role: "assistant" }>) =>
  message.content === null && message.refusal ? message.refusal : message.content;

export type ToolDefinition = {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
  cache_control?: CacheControl;
};

export type ToolChoice = "auto" | "none" | "required" | { type: "function"; function: { name: string } };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean };
    };

export type ChatRequest = {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  stop?: string | string[];
  /**
   * An Anthropic client's `output_config` (structured output, effort), for Anthropic as it came; other models get
   * its format as `response_format`. Junction's own: no OpenAI-format host is sent it.
   */
  anthropic_output_config?: {
    format?: { type: "json_schema"; schema: Record<string, unknown> };
    effort?: string;
  };
  /** Token log probabilities, from the hosts that return them (see parameters.ts); others answer without. */
  logprobs?: boolean;
  top_logprobs?: number;
  temperature?: number;
  top_p?: number;
  /** Sampling from the k likeliest tokens: Anthropic, Gemini and most open-model hosts take it; OpenAI does not. */
  top_k?: number;
  /** OpenRouter's samplers for open models: only the hosts that take them are sent them. */
  min_p?: number;
  top_a?: number;
  repetition_penalty?: number;
  seed?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  user?: string;
  reasoning?: ReasoningRequest;
  reasoning_effort?: string;
  /**
   * The Anthropic beta features the client asked for (its `anthropic-beta` header, set by the gateway, never by the
   * body). Anthropic upstreams get those Junction carries; no other upstream sees them.
   */
  anthropic_beta?: string[];
  /** Anthropic's automatic caching (a breakpoint on the last cacheable block): Anthropic and OpenRouter take it. */
  cache_control?: CacheControl;
  /**
   * Junction's own: the client asked in OpenAI's legacy `functions`, sent on as `tools`, and reads the answer's tool
   * call as a `function_call`. No upstream sees it.
   */
  legacy_functions?: boolean;
  [extra: string]: unknown;
};

export type Usage = {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens read from the provider's prompt cache (part of promptTokens). */
  cachedTokens: number;
  /** Prompt tokens written to the provider's prompt cache (part of promptTokens). */
  cacheWriteTokens: number;
  /** Of cacheWriteTokens, those written to Anthropic's one-hour cache (priced apart). */
  cacheWrite1hTokens?: number;
  reasoningTokens: number;
};

/**
 * A web page the answer cites: OpenAI's `url_citation` annotation, as its search models and OpenRouter send it.
 * The offsets are into the message content (OpenRouter's citations of Perplexity give 0 and 0); OpenRouter adds the
 * cited `content`.
 */
export type Annotation = {
  type: "url_citation";
  url_citation: { url: string; title?: string; start_index?: number; end_index?: number; content?: string };
};

/**
 * Perplexity's sources, top-level on its completions and on every chunk: the URLs its `[1]` markers number, and the
 * pages its search found (title, url, date, …), passed on as it sent them; with them, when the client asked
 * (`return_images`, `return_related_questions`), the images its search found and questions to ask next.
 */
export type SearchSources = {
  citations?: string[];
  search_results?: { url: string; title?: string; [field: string]: unknown }[];
  images?: { image_url: string; origin_url?: string; [field: string]: unknown }[];
  related_questions?: string[];
};

/** Claude's citation of a document (Anthropic's own object: char_location, page_location, …), passed on unchanged. */
export type ClaudeCitation = { type: string; cited_text?: string; [field: string]: unknown };

/** A run of Claude's text (from `start` to `end` of the content) that was a text block of its own, citing these. */
export type CitedText = { start: number; end: number; citations: ClaudeCitation[] };

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "error";

export type ChatCompletion = {
  id: string;
  model: string;
  message: {
    role: "assistant";
    content: string | null;
    /** Why the model declined to answer (OpenAI's structured outputs): its words, in place of the content. */
    refusal?: string;
    tool_calls?: ToolCall[];
    reasoning?: string;
    reasoning_details?: ReasoningDetail[];
    /** The web pages the content cites, as OpenAI-format hosts annotate it. */
    annotations?: Annotation[];
  };
  /** Perplexity's sources, when the host sent them. */
  sources?: SearchSources;
  /** Claude's cited text blocks (the rest of the content cites nothing), for a client that speaks Anthropic. */
  citedText?: CitedText[];
  finishReason: FinishReason;
  /** The stop sequence that ended the answer, when the provider says which (Anthropic, the sandbox). */
  stopSequence?: string;
  /** The choice's `logprobs` as an OpenAI-format host sent them, when asked for. */
  logprobs?: unknown;
  /** Undefined when the provider reported no usage (the gateway then counts tokens and marks them estimated). */
  usage: Usage | undefined;
};

/** One streamed delta in OpenAI chunk terms. */
export type ChatDelta = {
  content?: string;
  /** A piece of a refusal (OpenAI's `delta.refusal`). */
  refusal?: string;
  reasoning?: string;
  reasoning_details?: ReasoningDetail[];
  /** The web pages the content cites (OpenAI's search models send them after the text, OpenRouter with it). */
  annotations?: Annotation[];
  role?: "assistant";
  tool_calls?: {
    index: number;
    id?: string;
    type?: "function";
    function?: { name?: string; arguments?: string };
  }[];
};

/** Anthropic's structured output: the answer is JSON that follows this schema. */
export type JsonOutputFormat = { type: "json_schema"; schema: Record<string, unknown> };

export type StreamEvent =
  /** `json`: the delta exactly as the upstream's JSON text, when the adapter read it without re-serializing. */
  | {
      type: "delta";
      delta: ChatDelta;
      json?: string;
      logprobs?: unknown;
      /** Perplexity's sources, on the event where they first came (or changed). */
      sources?: SearchSources;
      /**
       * Claude's text block this delta's content starts (set on its first event only), or a citation of it (the
       * delta then empty): Claude splits cited text into blocks of their own, which an Anthropic client gets back.
       */
      claudeText?: { block: number; citation?: ClaudeCitation };
      /**
       * The upstream's exact prompt side, known when its answer starts (Claude's message_start: input and cache
       * figures), on the stream's first delta; the final usage event still says what is billed.
       */
      promptUsage?: Usage;
    }
  | { type: "finish"; finishReason: FinishReason; stopSequence?: string }
  | { type: "usage"; usage: Usage };

export type EmbeddingRequest = {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: "float" | "base64";
  dimensions?: number;
  user?: string;
};

export type EmbeddingResult = {
  data: { index: number; embedding: number[] | string }[];
  usage: Usage | undefined;
};

/** What the gateway hands an adapter for one attempt: where to go and with which upstream model name. */
export type UpstreamTarget = {
  providerId: string;
  providerModelId: string;
  /** The model reasons (the catalog says so): OpenAI's reasoning models refuse some fields others take. */
  reasons?: boolean;
  baseUrl: string;
  apiKey: string | undefined;
  /** The key is the organization's own (BYOK): the provider account is the customer's, not the platform's. */
  byok?: boolean;
};

export type AttemptContext = {
  target: UpstreamTarget;
  signal: AbortSignal;
};

export type ProviderAdapter = {
  readonly kind: string;
  complete(request: ChatRequest, context: AttemptContext): Promise<ChatCompletion>;
  /**
   * Opens the stream. Resolves once the upstream accepted the request (status 2xx and headers), so the gateway
   * can still fall back before the first byte reaches the client; then yields events in batches (what one read of
   * the upstream body carried; see `readSseStream`).
   */
  stream(request: ChatRequest, context: AttemptContext): Promise<AsyncIterable<StreamEvent[]>>;
  embed?(request: EmbeddingRequest, context: AttemptContext): Promise<EmbeddingResult>;
};

export const emptyUsage = (): Usage => ({
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});
