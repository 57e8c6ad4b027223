import { nanoToUsdNumber, nanoToUsdString } from "@junction/core";
import type {
  ChatCompletion,
  ChatDelta,
  ChatRequest,
  FinishReason,
  SearchSources,
  StreamEvent,
} from "@junction/providers";
import type { SettledGeneration } from "../generation.js";
import type { StreamSink } from "../stream.js";
import { functionCallDeltas, legacyFinish, messageWithFunctionCall } from "./legacy-functions.js";

/** OpenRouter-style usage: token counts plus the exact cost in USD and how it was made up. */
export function openAiUsage(settled: SettledGeneration) {
  const { usage, cost } = settled;
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens, cache_write_tokens: usage.cacheWriteTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    cost: nanoToUsdNumber(cost.total),
    is_byok: settled.isByok,
    cost_details: {
      // For BYOK the provider bills the customer directly; `cost` is Junction's fee.
      upstream_inference_cost: settled.isByok ? nanoToUsdNumber(settled.upstreamCost) : null,
      upstream_inference_prompt_cost: nanoToUsdNumber(
        cost.inputCost + cost.cachedInputCost + cost.cacheWriteCost,
      ),
      upstream_inference_completions_cost: nanoToUsdNumber(cost.outputCost),
      total_usd: nanoToUsdString(cost.total),
      total_nano_usd: cost.total.toString(),
    },
    ...(settled.estimated && { estimated: true }),
  };
}

export function openAiCompletionBody(
  id: string,
  created: number,
  completion: ChatCompletion,
  settled: SettledGeneration,
  request: ChatRequest,
) {
  // Object.assign, not a spread followed by a new key (a new hidden class per response; see admit.ts).
  let message: Partial<ChatCompletion["message"]> = Object.assign({}, completion.message, {
    refusal: completion.message.refusal ?? null,
  });
  if (request.legacy_functions) message = messageWithFunctionCall(message);
  if (request.reasoning?.exclude) {
    // Asked for and billed, but left out of the answer (OpenRouter's `reasoning.exclude`).
    delete message.reasoning;
    delete message.reasoning_details;
  }
  return {
    id,
    object: "chat.completion",
    created,
    model: settled.endpoint?.modelId,
    provider: settled.endpoint?.providerName,
    choices: [
      {
        index: 0,
        message,
        logprobs: completion.logprobs ?? null,
        finish_reason: request.legacy_functions
          ? legacyFinish(completion.finishReason)
          : completion.finishReason,
      },
    ],
    // Perplexity's sources, top-level where Perplexity's own clients read them.
    ...completion.sources,
    usage: openAiUsage(settled),
  };
}

/** What follows a delta in its chunk (with no logprobs, the usual case). */
const DELTA_TAIL = ',"logprobs":null,"finish_reason":null}]}\n\n';

/**
 * Chat Completions chunks: role first, deltas, the finish chunk, the usage chunk (choices: []) and [DONE]. With
 * `excludeReasoning`, deltas go out without their reasoning, and a delta that carried only reasoning not at all.
 * With `legacyFunctions`, the first tool call goes out as `function_call` pieces (the client asked in `functions`).
 */
export function createOpenAiSink(
  id: string,
  created: number,
  options: { includeUsage: boolean; excludeReasoning: boolean; legacyFunctions?: boolean },
): StreamSink {
  const { includeUsage, excludeReasoning } = options;
  const asFunctionCall = options.legacyFunctions ? functionCallDeltas() : undefined;
  let model = "";
  let provider = "";
  let deltaHead = "";
  /** Perplexity's sources, given again on the finish chunk (a client may read them from the last chunk). */
  let sources: SearchSources | undefined;
  /** The end of a delta's chunk with what deltas rarely carry: logprobs, and sources (top-level, as Perplexity's). */
  const rareTail = (event: Extract<StreamEvent, { type: "delta" }>) => {
    if (event.sources) sources = event.sources;
    const top = event.sources ? `,${JSON.stringify(event.sources).slice(1, -1)}` : "";
    return `,"logprobs":${JSON.stringify(event.logprobs ?? null)},"finish_reason":null}]${top}}\n\n`;
  };
  const chunk = (
    delta: ChatDelta,
    finishReason: FinishReason | "function_call" | null,
    extra: Record<string, unknown> = {},
  ) =>
    `data: ${JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      provider,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...extra,
    })}\n\n`;

  return {
    begin(endpoint) {
      model = endpoint.modelId;
      provider = endpoint.providerName;
      // Every delta chunk is the same text around its delta: only the delta is serialized per event.
      const fields = JSON.stringify({ id, object: "chat.completion.chunk", created, model, provider });
      deltaHead = `data: ${fields.slice(0, -1)},"choices":[{"index":0,"delta":`;
      return chunk({ role: "assistant", content: "" }, null);
    },
    event(event: StreamEvent) {
      if (event.type !== "delta") return "";
      let delta: ChatDelta & { function_call?: unknown } = event.delta;
      let json = event.json;
      if (asFunctionCall && delta.tool_calls) {
        const legacy = asFunctionCall(delta);
        if (!legacy) return "";
        delta = legacy;
        json = undefined;
      }
      if (excludeReasoning && (delta.reasoning !== undefined || delta.reasoning_details !== undefined)) {
        const { reasoning: _text, reasoning_details: _details, ...answer } = delta;
        const called = answer.tool_calls?.length || answer.function_call;
        if (!answer.content && !answer.refusal && !called && !answer.annotations?.length) return "";
        json = JSON.stringify(answer);
      }
      const tail = event.logprobs === undefined && event.sources === undefined ? DELTA_TAIL : rareTail(event);
      return `${deltaHead}${json ?? JSON.stringify(delta)}${tail}`;
    },
    end(finishReason, settled) {
      let out = chunk({}, asFunctionCall ? legacyFinish(finishReason) : finishReason, sources);
      if (includeUsage) {
        out += `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, provider, choices: [], usage: openAiUsage(settled) })}\n\n`;
      }
      return `${out}data: [DONE]\n\n`;
    },
    fail(error, settled) {
      const body = { code: error.code, message: error.message, metadata: error.metadata ?? null };
      const usage = includeUsage && settled ? { usage: openAiUsage(settled) } : {};
      return `${chunk({}, "error", { error: body, ...usage })}data: [DONE]\n\n`;
    },
  };
}
