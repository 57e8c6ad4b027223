import { nanoToUsdNumber } from "@junction/core";
import {
  anthropicStopReason,
  type ChatCompletion,
  type ChatDelta,
  type FinishReason,
  isClaudeReasoning,
  type ReasoningDetail,
  reasoningText,
  type StreamEvent,
  thinkingBlocks,
  usageToAnthropic,
} from "@junction/providers";
import type { SettledGeneration } from "../generation.js";
import type { StreamSink } from "../stream.js";

const sse = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

function anthropicUsage(settled: SettledGeneration) {
  return { ...usageToAnthropic(settled.usage), cost: nanoToUsdNumber(settled.cost.total) };
}

/** Anthropic says which stop sequence ended a message; a provider that does not say gives `end_turn`. */
const stopFields = (finish: FinishReason, stopSequence: string | undefined) =>
  stopSequence === undefined
    ? { stop_reason: anthropicStopReason(finish), stop_sequence: null }
    : { stop_reason: "stop_sequence" as const, stop_sequence: stopSequence };

/** A provider's reasoning as OpenRouter's details; a host that sent only the text gets one unsigned detail. */
const reasoningOf = (source: {
  reasoning?: string;
  reasoning_details?: ReasoningDetail[];
}): ReasoningDetail[] =>
  source.reasoning_details ?? (source.reasoning ? [{ type: "reasoning.text", text: source.reasoning }] : []);

export function anthropicMessageBody(id: string, completion: ChatCompletion, settled: SettledGeneration) {
  // Thinking first, as Anthropic answers; a block no provider signed says so with an empty signature.
  const content: unknown[] = thinkingBlocks(reasoningOf(completion.message), { signedOnly: false }).map(
    (block) => (block.type === "thinking" ? { ...block, signature: block.signature ?? "" } : block),
  );
  if (completion.message.content) content.push({ type: "text", text: completion.message.content });
  for (const call of completion.message.tool_calls ?? []) {
    let input: unknown = {};
    try {
      input = JSON.parse(call.function.arguments || "{}");
    } catch {
      input = { _raw: call.function.arguments };
    }
    content.push({ type: "tool_use", id: call.id, name: call.function.name, input });
  }
  return {
    id,
    type: "message",
    role: "assistant",
    model: settled.endpoint?.modelId,
    provider: settled.endpoint?.providerName,
    content,
    ...stopFields(completion.finishReason, completion.stopSequence),
    usage: anthropicUsage(settled),
  };
}

/**
 * Anthropic's event order: message_start, ping, then per block content_block_start / _delta / _stop,
 * message_delta (stop_reason + cumulative usage) and message_stop.
 */
export function createAnthropicSink(id: string, estimatedInputTokens: number): StreamSink {
  let blockIndex = -1;
  let openBlock: "text" | "tool_use" | "thinking" | "redacted_thinking" | null = null;
  let thinkingIndex: number | undefined;
  const toolBlocks = new Map<number, number>();
  const close = () => {
    if (openBlock === null) return "";
    openBlock = null;
    return sse("content_block_stop", { type: "content_block_stop", index: blockIndex });
  };
  const open = (block: Record<string, unknown>, kind: NonNullable<typeof openBlock>) => {
    const out = close();
    blockIndex++;
    openBlock = kind;
    const start = sse("content_block_start", {
      type: "content_block_start",
      index: blockIndex,
      content_block: block,
    });
    // Anthropic sends its first ping right after the first content_block_start.
    return out + start + (blockIndex === 0 ? sse("ping", { type: "ping" }) : "");
  };

  const delta = (payload: Record<string, unknown>) =>
    sse("content_block_delta", { type: "content_block_delta", index: blockIndex, delta: payload });
  /** Reasoning as thinking blocks: a block per reasoning index, its text as thinking_delta, its signature last. */
  const reasoning = (chatDelta: ChatDelta) => {
    let out = "";
    for (const detail of reasoningOf(chatDelta)) {
      if (detail.type === "reasoning.encrypted") {
        // Another model's ciphertext would be refused when the client sends it back to Claude.
        if (isClaudeReasoning(detail))
          out += open({ type: "redacted_thinking", data: detail.data }, "redacted_thinking") + close();
        continue;
      }
      if (openBlock !== "thinking" || thinkingIndex !== (detail.index ?? 0)) {
        out += open({ type: "thinking", thinking: "" }, "thinking");
        thinkingIndex = detail.index ?? 0;
      }
      const text = reasoningText(detail);
      if (text) out += delta({ type: "thinking_delta", thinking: text });
      if (detail.type === "reasoning.text" && detail.signature)
        out += delta({ type: "signature_delta", signature: detail.signature });
    }
    return out;
  };

  return {
    begin(endpoint) {
      const message = {
        id,
        type: "message",
        role: "assistant",
        model: endpoint.modelId,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: estimatedInputTokens,
          output_tokens: 1,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
        },
      };
      return sse("message_start", { type: "message_start", message });
    },
    event(event: StreamEvent) {
      if (event.type !== "delta") return "";
      let out = event.delta.reasoning || event.delta.reasoning_details ? reasoning(event.delta) : "";
      if (event.delta.content) {
        if (openBlock !== "text") out += open({ type: "text", text: "" }, "text");
        out += delta({ type: "text_delta", text: event.delta.content });
      }
      for (const call of event.delta.tool_calls ?? []) {
        if (call.id !== undefined || !toolBlocks.has(call.index)) {
          out += open(
            {
              type: "tool_use",
              id: call.id ?? `toolu_${call.index}`,
              name: call.function?.name ?? "",
              input: {},
            },
            "tool_use",
          );
          toolBlocks.set(call.index, blockIndex);
        }
        const args = call.function?.arguments;
        if (args) {
          out += sse("content_block_delta", {
            type: "content_block_delta",
            index: toolBlocks.get(call.index),
            delta: { type: "input_json_delta", partial_json: args },
          });
        }
      }
      return out;
    },
    end(finishReason, settled, stopSequence) {
      return (
        close() +
        sse("message_delta", {
          type: "message_delta",
          delta: stopFields(finishReason, stopSequence),
          usage: anthropicUsage(settled),
        }) +
        sse("message_stop", { type: "message_stop" })
      );
    },
    fail(error) {
      return close() + sse("error", { type: "error", error: { type: "api_error", message: error.message } });
    },
  };
}
