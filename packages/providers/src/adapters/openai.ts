import { createHash } from "node:crypto";
import { pushAll } from "@junction/core";
import { errorInBody, ProviderError, type UpstreamErrorObject } from "../errors.js";
import { messagesForCompatibleHost } from "../host-messages.js";
import {
  OPENAI_HOST_FIELDS,
  OPENAI_HOST_RENAMES,
  openAiHostTakes,
  SPEAKS_OPENROUTER,
} from "../parameters.js";
import { parseSseJson, readSseStream } from "../sse.js";
import { postJson, readJson, type Transport } from "../transport.js";
import type {
  AttemptContext,
  ChatCompletion,
  ChatDelta,
  ChatMessage,
  ChatRequest,
  ContentPart,
  EmbeddingRequest,
  EmbeddingResult,
  FinishReason,
  ProviderAdapter,
  SearchSources,
  StreamEvent,
  Usage,
} from "../types.js";

type OpenAiUsage = {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  /** DeepSeek's cache reads (its documented field; some of its answers have no prompt_tokens_details). */
  prompt_cache_hit_tokens?: number;
};

type OpenAiCompletion = {
  id: string;
  model: string;
  choices: {
    message: Pick<
      ChatCompletion["message"],
      "content" | "tool_calls" | "reasoning_details" | "annotations"
    > & {
      refusal?: string | null;
      reasoning?: string | null;
      reasoning_content?: string | null;
    };
    finish_reason: string | null;
    logprobs?: unknown;
  }[];
  usage?: OpenAiUsage | null;
  error?: UpstreamErrorObject | null;
} & HostSources;

/** Perplexity's sources (top-level on its completions and chunks), or anything a host sent by those names. */
type HostSources = { [field in keyof SearchSources]?: unknown };

type OpenAiChunk = HostSources & {
  choices?: { delta?: ChatDelta; finish_reason?: string | null; logprobs?: unknown }[];
  usage?: OpenAiUsage | null;
  /** Groq's usage, on its last chunk (also in `usage` when asked for with stream_options). */
  x_groq?: { usage?: OpenAiUsage | null } | null;
  error?: UpstreamErrorObject | null;
};

export function usageFromOpenAi(usage: OpenAiUsage | null | undefined): Usage | undefined {
  if (!usage || typeof usage.prompt_tokens !== "number") return undefined;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens ?? 0,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? 0,
    cacheWriteTokens: usage.prompt_tokens_details?.cache_write_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

const FINISH: Record<string, FinishReason> = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  function_call: "tool_calls",
  content_filter: "content_filter",
  error: "error",
};

const SOURCE_FIELDS = ["citations", "search_results", "images", "related_questions"] as const;

/** A host's search sources as Perplexity sends them (lists, not empty), or undefined. */
function sourcesOf(body: HostSources): SearchSources | undefined {
  let sources: Record<string, unknown> | undefined;
  for (const field of SOURCE_FIELDS) {
    const list = body[field];
    if (Array.isArray(list) && list.length > 0) sources = { ...sources, [field]: list };
  }
  return sources as SearchSources | undefined;
}

/** The same sources again (Perplexity repeats them on every chunk): as many of each, the same URLs cited. */
const sameSources = (a: SearchSources, b: SearchSources | undefined) =>
  b !== undefined &&
  SOURCE_FIELDS.every((field) => a[field]?.length === b[field]?.length) &&
  (a.citations ?? []).every((url, index) => url === b.citations?.[index]);

/**
 * An answer that called tools ends with tool_calls, though the host said "stop": OpenAI itself does for a forced
 * tool_choice, as do vLLM, Ollama and other compatible servers, and clients (Claude Code's stop_reason tool_use, an
 * OpenAI client's finish_reason check) would end their tool loop there. A cut answer (length) stays cut.
 */
export const finishFromOpenAi = (reason: string | null | undefined, calledTools = false): FinishReason => {
  const finish = FINISH[reason ?? "stop"] ?? "stop";
  return finish === "stop" && calledTools ? "tool_calls" : finish;
};

/** What precedes the first choice's delta in OpenAI's wire format (and its compatible hosts'). */
const FIRST_DELTA = '"choices":[{"index":0,"delta":{';
/** A delta of only content: its text, up to the closing `"}`, is the content when it holds no escape. */
const CONTENT_ONLY = '{"content":"';

/**
 * The delta of a plain content chunk (parsed, and its JSON text to pass on), read without parsing the rest of the
 * chunk; undefined when the chunk is anything else (several choices, a finish reason, usage, an error, tool calls
 * or any nesting in the delta, another field order or spacing), which the caller then parses whole. Most of a
 * stream is such chunks, and JSON.parse of each whole chunk (id, model, fingerprint, …) was the gateway's largest
 * own cost per event. A delta of only content, without escapes or control characters, is not parsed at all: its
 * text is the content.
 *
 * Matches are real keys: inside a JSON string every quote is escaped, so `usage":` can only occur there as
 * `usage\":`, which is not matched. The searches start at a letter, not a quote: a JSON text is full of quotes,
 * and a search is fast while its first character is rare.
 */
export function plainContentDelta(data: string): { delta: ChatDelta; json: string } | undefined {
  const at = data.indexOf('delta":{') - FIRST_DELTA.length + 8;
  if (at < 0 || !data.startsWith(FIRST_DELTA, at)) return undefined;
  const start = at + FIRST_DELTA.length - 1;
  let end = -1;
  let inString = false;
  let plainText = true;
  for (let index = start + 1; index < data.length && end < 0; index++) {
    const code = data.charCodeAt(index);
    if (inString) {
      if (code === 92) {
        plainText = false;
        index++; // a backslash: skip the character it escapes
      } else if (code === 34) inString = false;
      else if (code < 32) plainText = false;
    } else if (code === 34) inString = true;
    else if (code === 125) end = index;
    else if (code === 123 || code === 91) return undefined; // nested: tool calls and the like
  }
  // After the delta: its own finish reason, null, and no other choice.
  if (end < 0 || !data.includes('finish_reason":null', end) || data.includes('delta":', end))
    return undefined;
  if (keyIndex(data, 'error":', '"error":') >= 0) return undefined;
  const usage = keyIndex(data, 'usage":', '"usage":');
  if (usage >= 0 && !data.startsWith("null", usage + 8)) return undefined;
  const json = data.slice(start, end + 1);
  if (
    plainText &&
    json.startsWith(CONTENT_ONLY) &&
    json.indexOf('"', CONTENT_ONLY.length) === json.length - 2
  )
    return { delta: { content: json.slice(CONTENT_ONLY.length, -2) }, json };
  try {
    return { delta: JSON.parse(json) as ChatDelta, json };
  } catch {
    return undefined;
  }
}

/** Where `quoted` (`"name":`) is in a JSON text, or -1: first looked for by `bare` (`name":`), which starts at a letter. */
function keyIndex(data: string, bare: string, quoted: string): number {
  const found = data.indexOf(bare);
  return found < 1 ? -1 : data.indexOf(quoted, found - 1);
}

/**
 * OpenAI takes a `user` of at most 64 characters (OpenRouter 128) and refuses the request otherwise. A longer one
 * (Claude Code's metadata.user_id, about 150) goes as its SHA-256 in hex: 64 characters, and as stable an id.
 */
const userForHost = (user: unknown) =>
  typeof user === "string" && user.length > 64 ? createHash("sha256").update(user).digest("hex") : user;

/**
 * The request body for one host. `compatibleHost`: a catalog host that speaks OpenAI's format with its own differences
 * (not OpenAI itself, nor an organization's custom endpoint, which gets the limit and messages as its client wrote them).
 */
function upstreamBody(
  request: ChatRequest,
  target: AttemptContext["target"],
  stream: boolean,
  compatibleHost: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...request, model: target.providerModelId, stream };
  if (stream) body.stream_options = { include_usage: true };
  else delete body.stream_options;
  for (const [field, takes] of OPENAI_HOST_FIELDS)
    if (body[field] !== undefined && !takes(target)) delete body[field];
  for (const [field, hostField] of OPENAI_HOST_RENAMES.get(target.providerId) ?? [])
    if (body[field] !== undefined) {
      body[hostField] = body[field];
      delete body[field];
    }
  if (body.user !== undefined) body.user = userForHost(body.user);
  // OpenAI's own API has deprecated `max_tokens` and its reasoning models (o-series, GPT-5) refuse it; all its models
  // take `max_completion_tokens`. The compatible hosts all take `max_tokens`, and some refuse the other (Mistral).
  // The Anthropic and Responses routes and older clients send max_tokens, OpenAI's SDK max_completion_tokens.
  const limit = body.max_completion_tokens ?? body.max_tokens;
  if (limit !== undefined && (compatibleHost || target.providerId === "openai")) {
    delete body.max_completion_tokens;
    delete body.max_tokens;
    body[compatibleHost ? "max_tokens" : "max_completion_tokens"] = limit;
  }
  body.messages = toolMessagesForOpenAi(withoutClaudeSettings(request.messages));
  if (compatibleHost && !SPEAKS_OPENROUTER.has(target.providerId))
    body.messages = messagesForCompatibleHost(body.messages as ChatMessage[], target.providerId);
  if (!SPEAKS_OPENROUTER.has(target.providerId)) {
    body.messages = withoutOpenRouterFields(body.messages as ChatMessage[]);
    if (request.tools?.some((tool) => tool.cache_control))
      body.tools = request.tools.map(({ cache_control: _, ...tool }) => tool);
  }
  return body;
}

const hasDocumentSettings = (message: ChatMessage) =>
  Array.isArray(message.content) && message.content.some((part) => "document" in part);
const hasToolCallBreakpoint = (message: ChatMessage) =>
  message.role === "assistant" && message.tool_calls?.some((call) => call.cache_control) === true;
const hasClaudeSettings = (message: ChatMessage) =>
  hasDocumentSettings(message) || hasToolCallBreakpoint(message);

/**
 * What an Anthropic client set for Claude alone, in one pass: a document's settings (citations, context; the document
 * is its content here) and breakpoints on tool calls (OpenRouter too takes them on content parts only).
 */
function withoutClaudeSettings(messages: ChatMessage[]): ChatMessage[] {
  if (!messages.some(hasClaudeSettings)) return messages;
  return messages.map((message) => {
    if (!hasClaudeSettings(message)) return message;
    let out = message;
    if (hasDocumentSettings(out)) {
      out = {
        ...out,
        content: (out.content as ContentPart[]).map((part) => {
          if (!("document" in part)) return part;
          const { document: _, ...rest } = part;
          return rest;
        }),
      } as ChatMessage;
    }
    if (out.role === "assistant" && hasToolCallBreakpoint(out))
      out = { ...out, tool_calls: out.tool_calls?.map(({ cache_control: _, ...call }) => call) };
    return out;
  });
}

const hasCacheControl = (message: ChatMessage) =>
  Array.isArray(message.content) && message.content.some((part) => part.cache_control);
const hasReasoning = (message: ChatMessage) =>
  message.role === "assistant" && message.reasoning_details !== undefined;

/**
 * The messages without cache breakpoints and earlier reasoning (the same array when none has either, as usual).
 * Text that only became parts to carry a breakpoint is one string again, as hosts that take only strings want it.
 */
function withoutOpenRouterFields(messages: ChatMessage[]): ChatMessage[] {
  if (!messages.some((message) => hasCacheControl(message) || hasReasoning(message))) return messages;
  return messages.map((message) => {
    if (!hasCacheControl(message) && !hasReasoning(message)) return message;
    const { reasoning_details: _, ...rest } = message as ChatMessage & { reasoning_details?: unknown };
    if (!hasCacheControl(message)) return rest as ChatMessage;
    const parts = (message.content as ContentPart[]).map(({ cache_control: _, ...part }) => part);
    const texts = parts.flatMap((part) => (part.type === "text" ? [part.text] : []));
    // System blocks are joined by a line, as the Anthropic route joins them when none carries a breakpoint.
    const separator = message.role === "system" || message.role === "developer" ? "\n" : "";
    return { ...rest, content: texts.length === parts.length ? texts.join(separator) : parts } as ChatMessage;
  });
}

const hasMedia = (message: ChatMessage) =>
  message.role === "tool" &&
  typeof message.content !== "string" &&
  message.content.some((part) => part.type !== "text");
const hasError = (message: ChatMessage) => message.role === "tool" && message.is_error !== undefined;

/**
 * OpenAI's tool messages take text only, and no `is_error` (a failed tool says so in its text, or is said to have
 * failed when it returned none). Images and documents
 * a tool returned (Anthropic tool results carry them: a screenshot, a file the model asked to see) follow the run of
 * tool messages as one user turn, where the model can see them.
 */
function toolMessagesForOpenAi(messages: ChatMessage[]): ChatMessage[] {
  if (!messages.some((message) => hasMedia(message) || hasError(message))) return messages;
  const out: ChatMessage[] = [];
  let media: ContentPart[] = [];
  for (const message of messages) {
    if (message.role !== "tool") {
      if (media.length) out.push({ role: "user", content: media });
      media = [];
      out.push(message);
      continue;
    }
    const { is_error: failed, ...toolMessage } = message;
    if (!hasMedia(message)) {
      // A failure that says nothing would read as an empty success.
      out.push(
        failed && !message.content.length ? { ...toolMessage, content: "(the tool failed)" } : toolMessage,
      );
      continue;
    }
    const parts = message.content as ContentPart[];
    const text = parts.flatMap((part) => (part.type === "text" ? [part.text] : []));
    pushAll(
      media,
      parts.filter((part) => part.type !== "text"),
    );
    out.push({ ...toolMessage, content: text.join("") || "(the result is what follows)" });
  }
  if (media.length) out.push({ role: "user", content: media });
  return out;
}

/** DeepSeek's reasoning field (also Together's, Fireworks', vLLM's): OpenRouter's `reasoning` by another name. */
type HostDelta = ChatDelta & { reasoning_content?: string | null };

/**
 * A delta worth passing on — text, a refusal, tool calls or reasoning — with its JSON text when that can go on as it came;
 * `reasoning_content` is renamed `reasoning` (and the delta serialized anew), as OpenRouter answers.
 */
function deltaEvent(delta: HostDelta, json?: string): DeltaEvent | undefined {
  if (delta.reasoning_content !== undefined) {
    // Renamed even beside content (a reasoning parser's last piece), and a null one dropped: never passed on as is.
    const { reasoning_content, ...rest } = delta;
    if (reasoning_content) return deltaEvent({ ...rest, reasoning: reasoning_content });
    // DeepSeek sends a null one with every piece of the answer: its text goes on without it, unparsed.
    const text = json?.replace(',"reasoning_content":null', "");
    return deltaEvent(rest, text?.includes('"reasoning_content"') ? undefined : text);
  }
  if (
    delta.content ||
    delta.refusal ||
    delta.tool_calls?.length ||
    delta.reasoning ||
    delta.reasoning_details?.length ||
    delta.annotations?.length
  )
    return json === undefined ? { type: "delta", delta } : { type: "delta", delta, json };
  return undefined;
}

type DeltaEvent = Extract<StreamEvent, { type: "delta" }>;

const hasTokens = (logprobs: unknown) =>
  Array.isArray((logprobs as { content?: unknown } | null | undefined)?.content) &&
  (logprobs as { content: unknown[] }).content.length > 0;

/** OpenAI's Chat Completions protocol; also every OpenAI-compatible host (groq, together, deepinfra, …). */
export function createOpenAiAdapter(transport: Transport, kind = "openai"): ProviderAdapter {
  const headers = (context: AttemptContext): Record<string, string> =>
    context.target.apiKey ? { authorization: `Bearer ${context.target.apiKey}` } : {};
  const sendChat = (request: ChatRequest, context: AttemptContext, stream: boolean) =>
    postJson(
      transport,
      context.target.providerId,
      `${context.target.baseUrl}/chat/completions`,
      headers(context),
      upstreamBody(request, context.target, stream, kind === "openai_compatible"),
      context.signal,
    );

  return {
    kind,
    async complete(request: ChatRequest, context: AttemptContext): Promise<ChatCompletion> {
      const { target, signal } = context;
      const response = await sendChat(request, context, false);
      const body = await readJson<OpenAiCompletion>(target.providerId, response, signal);
      if (body.error) throw errorInBody(target.providerId, body.error, "upstream error");
      const choice = body.choices?.[0];
      if (!choice?.message)
        throw new ProviderError(target.providerId, "protocol", "upstream returned no choices");
      const reasoning = choice.message.reasoning ?? choice.message.reasoning_content;
      const sources = sourcesOf(body);
      return {
        id: body.id,
        model: body.model,
        message: {
          role: "assistant",
          content: choice.message.content ?? null,
          // A structured-output refusal: content null, the model's words here.
          ...(choice.message.refusal && { refusal: choice.message.refusal }),
          ...(choice.message.tool_calls?.length && { tool_calls: choice.message.tool_calls }),
          // OpenRouter's reasoning fields, as the host sent them.
          ...(reasoning && { reasoning }),
          ...(choice.message.reasoning_details && { reasoning_details: choice.message.reasoning_details }),
          // Search models' citations of web pages (OpenAI's, OpenRouter's).
          ...(choice.message.annotations?.length && { annotations: choice.message.annotations }),
        },
        ...(sources && { sources }),
        finishReason: finishFromOpenAi(choice.finish_reason, Boolean(choice.message.tool_calls?.length)),
        usage: usageFromOpenAi(body.usage),
        ...(choice.logprobs != null && { logprobs: choice.logprobs }),
      };
    },

    async stream(request: ChatRequest, context: AttemptContext): Promise<AsyncIterable<StreamEvent[]>> {
      const { target, signal } = context;
      const response = await sendChat(request, context, true);
      // A chunk's logprobs sit beside its delta, which the shortcut for plain content chunks does not read.
      const logprobs = request.logprobs === true && openAiHostTakes("logprobs", target);
      // A stream that ends without [DONE] is complete only if the answer was: a cut connection is no success.
      let finished = false;
      let calledTools = false;
      let sourcesPassed: SearchSources | undefined;
      return readSseStream(target.providerId, response, signal, {
        message(message, out) {
          if (message.data === "[DONE]") return true;
          const plain = logprobs ? undefined : plainContentDelta(message.data);
          if (plain) {
            const event = deltaEvent(plain.delta, plain.json);
            if (event) out.push(event);
            return false;
          }
          const chunk = parseSseJson<OpenAiChunk>(target.providerId, message);
          if (chunk.error) throw errorInBody(target.providerId, chunk.error, "upstream stream error");
          const choice = chunk.choices?.[0];
          const event = choice?.delta && deltaEvent(choice.delta);
          if (choice?.delta?.tool_calls?.length) calledTools = true;
          if (event) {
            if (choice.logprobs != null) event.logprobs = choice.logprobs;
            out.push(event);
          } else if (logprobs && hasTokens(choice?.logprobs)) {
            // Tokens that decode to no text yet (part of a UTF-8 sequence) still have their log probabilities.
            out.push({ type: "delta", delta: { content: "" }, logprobs: choice?.logprobs });
          }
          // Perplexity repeats its sources on every chunk: they go on where they first come, or change. A chunk the
          // shortcut above read is not looked at; its sources come again on a later one (the finish chunk at the last).
          const sources = sourcesOf(chunk);
          if (sources && !sameSources(sources, sourcesPassed)) {
            sourcesPassed = sources;
            if (event) event.sources = sources;
            else out.push({ type: "delta", delta: {}, sources });
          }
          if (choice?.finish_reason) {
            finished = true;
            out.push({ type: "finish", finishReason: finishFromOpenAi(choice.finish_reason, calledTools) });
          }
          const usage = usageFromOpenAi(chunk.usage ?? chunk.x_groq?.usage);
          if (usage) out.push({ type: "usage", usage });
          return false;
        },
        end() {
          if (!finished)
            throw new ProviderError(
              target.providerId,
              "protocol",
              "upstream stream ended before a finish_reason",
            );
        },
      });
    },

    async embed(request: EmbeddingRequest, context: AttemptContext): Promise<EmbeddingResult> {
      const { target, signal } = context;
      const response = await postJson(
        transport,
        target.providerId,
        `${target.baseUrl}/embeddings`,
        headers(context),
        { ...request, model: target.providerModelId },
        signal,
      );
      const body = await readJson<{ data: EmbeddingResult["data"]; usage?: OpenAiUsage }>(
        target.providerId,
        response,
        signal,
      );
      return { data: body.data, usage: usageFromOpenAi({ completion_tokens: 0, ...body.usage }) };
    },
  };
}
