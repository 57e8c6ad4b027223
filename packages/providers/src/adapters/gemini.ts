import { randomUUID } from "node:crypto";
import { embeddingInputs } from "../embeddings.js";
import { errorInBody, ProviderError } from "../errors.js";
import {
  answerParts,
  finishFromGemini,
  GEMINI_REASONING_FORMAT,
  type GeminiResponse,
  geminiRequestFromChat,
  signatureDetails,
  thoughtText,
  toolCallFromGemini,
  usageFromGemini,
} from "../gemini-format.js";
import { parseSseJson, readSseStream, type SseDecoder } from "../sse.js";
import { type ErrorBodyReading, postJson, readJson, type Transport } from "../transport.js";
import {
  type AttemptContext,
  type ChatCompletion,
  type ChatRequest,
  type EmbeddingRequest,
  type EmbeddingResult,
  emptyUsage,
  type FinishReason,
  type ProviderAdapter,
  type ReasoningDetail,
  type StreamEvent,
  type ToolCall,
  type Usage,
} from "../types.js";

/** The API version is part of the path; a base URL that already names one (…/v1beta) is used as it is. */
function methodUrl(
  baseUrl: string,
  model: string,
  method: "generateContent" | "streamGenerateContent" | "batchEmbedContents",
): string {
  const root = /\/v1(alpha|beta)?$/.test(baseUrl) ? baseUrl : `${baseUrl}/v1beta`;
  const query = method === "streamGenerateContent" ? "?alt=sse" : "";
  return `${root}/models/${encodeURIComponent(bareModel(model))}:${method}${query}`;
}

/** Google's error body (google.rpc.Status): the reason and the wait are in `details`, not in the HTTP response. */
type GoogleError = {
  status?: string;
  details?: { "@type"?: string; reason?: string; retryDelay?: string }[];
};

/**
 * Gemini sends no Retry-After: a rate limit's wait is the RetryInfo's `retryDelay` ("45.8s"). A key it refuses
 * (invalid or expired) is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID, and an unserved country or a project
 * without billing a 400 FAILED_PRECONDITION: both are about the credential Junction holds, not the request, so they
 * are read as the 401 and 403 other providers answer (another endpoint may serve).
 */
function readGoogleError(text: string): ErrorBodyReading {
  let error: GoogleError | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: GoogleError } | { error?: GoogleError }[];
    error = (Array.isArray(parsed) ? parsed[0] : parsed)?.error;
  } catch {
    return {};
  }
  const details = Array.isArray(error?.details) ? error.details : [];
  const delay = details.find((detail) => detail["@type"]?.endsWith("google.rpc.RetryInfo"))?.retryDelay;
  const seconds = typeof delay === "string" ? Number.parseFloat(delay) : Number.NaN;
  const reading: ErrorBodyReading = Number.isFinite(seconds) ? { retryAfterSeconds: Math.ceil(seconds) } : {};
  if (details.some((detail) => detail.reason === "API_KEY_INVALID")) reading.status = 401;
  else if (error?.status === "FAILED_PRECONDITION") reading.status = 403;
  return reading;
}

/** A model id without the `models/` Gemini's own names start with. */
const bareModel = (model: string) => model.replace(/^models\//, "");

/** Gemini takes at most this many inputs in one batchEmbedContents call. */
const GEMINI_EMBED_BATCH = 100;

type GeminiEmbeddings = {
  embeddings?: { values?: number[] }[];
  usageMetadata?: { promptTokenCount?: number };
};

/** A vector scaled to unit length (a zero vector stays as it is). */
function unit(values: number[]): number[] {
  const norm = Math.hypot(...values);
  return norm > 0 ? values.map((value) => value / norm) : values;
}

/** Google's Generative Language API (Gemini), translated to and from the internal (OpenAI) shape. */
export function createGeminiAdapter(transport: Transport): ProviderAdapter {
  // The key goes in a header, never the URL: URLs end up in logs and error messages.
  const headers = (context: AttemptContext): Record<string, string> =>
    context.target.apiKey ? { "x-goog-api-key": context.target.apiKey } : {};
  const send = (
    request: ChatRequest,
    context: AttemptContext,
    method: "generateContent" | "streamGenerateContent",
  ) =>
    postJson(
      transport,
      context.target.providerId,
      methodUrl(context.target.baseUrl, context.target.providerModelId, method),
      headers(context),
      geminiRequestFromChat(request, context.target.providerModelId),
      context.signal,
      readGoogleError,
    );

  return {
    kind: "gemini",
    /**
     * `batchEmbedContents`, at most 100 inputs a call (Gemini's limit), `dimensions` as `outputDimensionality`. Only
     * full-size vectors come back normalized, so shortened ones are scaled to unit length here (as OpenAI's are).
     * Usage is Gemini's `usageMetadata` when every call reports it; otherwise the gateway counts the input (and
     * marks the usage estimated).
     */
    async embed(request: EmbeddingRequest, context: AttemptContext): Promise<EmbeddingResult> {
      const { providerId, providerModelId } = context.target;
      const inputs = embeddingInputs(request.input);
      if (inputs.some((input) => typeof input !== "string")) {
        throw new ProviderError(
          providerId,
          "http",
          "Gemini embeds text only: send `input` as strings, not tokens",
          {
            status: 400,
          },
        );
      }
      const model = `models/${bareModel(providerModelId)}`;
      const data: EmbeddingResult["data"] = [];
      let promptTokens: number | undefined = 0;
      for (let start = 0; start < inputs.length; start += GEMINI_EMBED_BATCH) {
        const texts = inputs.slice(start, start + GEMINI_EMBED_BATCH) as string[];
        const response = await postJson(
          transport,
          providerId,
          methodUrl(context.target.baseUrl, providerModelId, "batchEmbedContents"),
          headers(context),
          {
            requests: texts.map((text) => ({
              model,
              content: { parts: [{ text }] },
              ...(request.dimensions !== undefined && { outputDimensionality: request.dimensions }),
            })),
          },
          context.signal,
          readGoogleError,
        );
        const body = await readJson<GeminiEmbeddings>(providerId, response, context.signal);
        const embeddings = body.embeddings ?? [];
        if (embeddings.length !== texts.length || embeddings.some((item) => !Array.isArray(item.values))) {
          throw new ProviderError(
            providerId,
            "protocol",
            "upstream returned a different number of embeddings",
          );
        }
        for (const [index, item] of embeddings.entries()) {
          const values = item.values as number[];
          data.push({
            index: start + index,
            embedding: request.dimensions === undefined ? values : unit(values),
          });
        }
        const counted = body.usageMetadata?.promptTokenCount;
        promptTokens =
          promptTokens !== undefined && typeof counted === "number" ? promptTokens + counted : undefined;
      }
      return {
        data,
        usage: promptTokens === undefined ? undefined : { ...emptyUsage(), promptTokens },
      };
    },
    async complete(request, context): Promise<ChatCompletion> {
      const { providerId, providerModelId } = context.target;
      const response = await send(request, context, "generateContent");
      const body = await readJson<GeminiResponse>(providerId, response, context.signal);
      const candidate = body.candidates?.[0];
      if (!candidate && !body.promptFeedback?.blockReason) {
        throw new ProviderError(providerId, "protocol", "upstream returned no candidates");
      }
      const parts = answerParts(body);
      const text = parts.map((part) => part.text ?? "").join("");
      const calls = parts
        .flatMap((part) => (part.functionCall ? [{ part, call: toolCallFromGemini(part.functionCall) }] : []))
        .slice(0, callLimit(request));
      const toolCalls: ToolCall[] = calls.map(({ call }) => call);
      const reasoning = thoughtText(body);
      // With signatures to hand back, the thought text goes in the details too (clients read one or the other).
      const signed = calls.flatMap(({ part, call }) => signatureDetails(part, call));
      const thoughts: ReasoningDetail[] = reasoning
        ? [{ type: "reasoning.text", text: reasoning, format: GEMINI_REASONING_FORMAT }]
        : [];
      const details = signed.length ? [...thoughts, ...signed] : [];
      return {
        id: body.responseId ?? `gemini-${randomUUID()}`,
        model: body.modelVersion ?? providerModelId,
        message: {
          role: "assistant",
          content: text || (toolCalls.length ? null : ""),
          ...(toolCalls.length && { tool_calls: toolCalls }),
          ...(reasoning && { reasoning }),
          ...(details.length && { reasoning_details: details }),
        },
        // A blocked prompt has no candidate at all, only promptFeedback.blockReason.
        finishReason: candidate
          ? finishFromGemini(candidate.finishReason, toolCalls.length > 0)
          : "content_filter",
        usage: usageFromGemini(body.usageMetadata),
      };
    },

    async stream(request, context): Promise<AsyncIterable<StreamEvent[]>> {
      const response = await send(request, context, "streamGenerateContent");
      return readSseStream(
        context.target.providerId,
        response,
        context.signal,
        streamDecoder(context.target.providerId, callLimit(request)),
      );
    },
  };
}

/**
 * Gemini has no switch for parallel function calls: with `parallel_tool_calls: false` the answer keeps only the first
 * call, as a model told to make one would answer.
 */
const callLimit = (request: ChatRequest): number | undefined =>
  request.parallel_tool_calls === false ? 1 : undefined;

/**
 * Each SSE event is a whole GenerateContentResponse carrying only the new parts. A function call arrives complete
 * in one event, so it becomes one tool_calls delta with id, name and all arguments. usageMetadata repeats on
 * events as running totals; the last one is the bill.
 */
function streamDecoder(providerId: string, maxCalls = Number.POSITIVE_INFINITY): SseDecoder {
  let usage: Usage | undefined;
  let geminiFinish: string | undefined;
  let blocked = false;
  let toolCalls = 0;
  return {
    message(message, out) {
      const chunk = parseSseJson<GeminiResponse>(providerId, message);
      // Classified by the HTTP code it carries; Gemini's status name ("UNAVAILABLE") stands in for a missing message.
      if (chunk.error) {
        const { code, message, status } = chunk.error;
        throw errorInBody(providerId, { code, message: message ?? status }, "upstream stream error");
      }
      const reasoning = thoughtText(chunk);
      if (reasoning) out.push({ type: "delta", delta: { reasoning } });
      for (const part of answerParts(chunk)) {
        if (part.functionCall) {
          if (toolCalls >= maxCalls) continue;
          const call = toolCallFromGemini(part.functionCall);
          const signed = signatureDetails(part, call);
          out.push({
            type: "delta",
            delta: {
              tool_calls: [{ index: toolCalls, ...call }],
              ...(signed.length && { reasoning_details: signed }),
            },
          });
          toolCalls += 1;
        } else if (part.text) {
          out.push({ type: "delta", delta: { content: part.text } });
        }
      }
      geminiFinish = chunk.candidates?.[0]?.finishReason ?? geminiFinish;
      blocked ||= chunk.promptFeedback?.blockReason !== undefined;
      usage = usageFromGemini(chunk.usageMetadata) ?? usage;
      return false;
    },
    reportedUsage: () => usage,
    end(out) {
      if (geminiFinish === undefined && !blocked) {
        throw new ProviderError(providerId, "protocol", "upstream stream ended before a finishReason");
      }
      const finishReason: FinishReason =
        geminiFinish === undefined ? "content_filter" : finishFromGemini(geminiFinish, toolCalls > 0);
      out.push({ type: "finish", finishReason });
      if (usage) out.push({ type: "usage", usage });
    },
  };
}
