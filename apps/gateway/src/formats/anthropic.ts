import { nanoToUsdNumber, pushAll } from "@junction/core";
import {
  answerText,
  anthropicStopReason,
  type ChatCompletion,
  type ChatDelta,
  type CitedText,
  type FinishReason,
  isClaudeReasoning,
  type ReasoningDetail,
  reasoningText,
  type StreamEvent,
  thinkingBlocks,
  usageToAnthropic,
} from "@junction/providers";
import type { SettledGeneration } from "../generation.js";
import { errorBody } from "../http.js";
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

/**
 * A refusal ends the message as Claude's refusals do (stop_reason "refusal"), though OpenAI ends it with "stop": its
 * words are the message's text.
 */
const finishOf = (finish: FinishReason, refused: boolean): FinishReason =>
  refused && finish === "stop" ? "content_filter" : finish;

/** A provider's reasoning as OpenRouter's details; a host that sent only the text gets one unsigned detail. */
const reasoningOf = (source: {
  reasoning?: string;
  reasoning_details?: ReasoningDetail[];
}): ReasoningDetail[] =>
  source.reasoning_details ?? (source.reasoning ? [{ type: "reasoning.text", text: source.reasoning }] : []);

/** Reasoning an Anthropic client can be shown: all but another model's ciphertext, which Claude would refuse back. */
const shownToAnthropic = (detail: ReasoningDetail) =>
  detail.type !== "reasoning.encrypted" || isClaudeReasoning(detail);

/** The text as Claude's blocks: each run it cited a block of its own with its citations, the rest plain text. */
function textBlocks(text: string, citedText: CitedText[] | undefined): unknown[] {
  if (!citedText) return [{ type: "text", text }];
  const blocks: unknown[] = [];
  let at = 0;
  for (const { start, end, citations } of citedText) {
    if (start > at) blocks.push({ type: "text", text: text.slice(at, start) });
    blocks.push({ type: "text", text: text.slice(start, end), citations });
    at = end;
  }
  if (at < text.length) blocks.push({ type: "text", text: text.slice(at) });
  return blocks;
}

export function anthropicMessageBody(id: string, completion: ChatCompletion, settled: SettledGeneration) {
  // Thinking first, as Anthropic answers; a block no provider signed says so with an empty signature.
  const reasoning = reasoningOf(completion.message).filter(shownToAnthropic);
  const content: unknown[] = thinkingBlocks(reasoning, { signedOnly: false }).map((block) =>
    block.type === "thinking" ? { ...block, signature: block.signature ?? "" } : block,
  );
  const { refusal } = completion.message;
  const text = answerText(completion.message.content, refusal) ?? "";
  if (text) pushAll(content, textBlocks(text, completion.citedText));
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
    ...stopFields(finishOf(completion.finishReason, Boolean(refusal)), completion.stopSequence),
    usage: anthropicUsage(settled),
  };
}

/** A tool call's arguments are whole: a JSON value (an object, as tools take) with nothing missing. */
function wholeArguments(text: string): boolean {
  // Only text that ends an object can be one: most pieces are not parsed at all.
  if (!text.trimEnd().endsWith("}")) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A tool call being written as a tool_use block; `block` is its content index once its block has started. */
type ToolBlock = { id: string; name: string; arguments: string; block?: number };

/**
 * Anthropic's event order: message_start, ping, then per block content_block_start / _delta / _stop,
 * message_delta (stop_reason + cumulative usage) and message_stop. One block is open at a time, and a stopped block
 * gets no more deltas (Claude Code takes a tool_use block's input as final at its content_block_stop).
 */
export function createAnthropicSink(id: string, estimatedInputTokens: number): StreamSink {
  let blockIndex = -1;
  let openBlock: "text" | "tool_use" | "thinking" | "redacted_thinking" | null = null;
  let thinkingIndex: number | undefined;
  /** Claude's text block that the open text block is (an answer that cites splits its text into blocks). */
  let claudeBlock: number | undefined;
  let refused = false;
  /** The call at each OpenAI tool-call index (a host that numbers every call 0 reuses one for the next call). */
  const tools = new Map<number, ToolBlock>();
  /** The call whose tool_use block is open. */
  let streaming: ToolBlock | undefined;
  /**
   * Calls that began while the open one's arguments were still coming (hosts that interleave parallel calls' pieces):
   * their arguments are kept until that call is whole, then they follow it, each in a block of its own.
   */
  const waiting: ToolBlock[] = [];
  const close = () => {
    if (openBlock === null) return "";
    openBlock = null;
    streaming = undefined;
    return sse("content_block_stop", { type: "content_block_stop", index: blockIndex });
  };
  const open = (block: Record<string, unknown>, kind: NonNullable<typeof openBlock>) => {
    // Another kind of block means the calls are over: those still waiting go first.
    const out = (kind === "tool_use" ? "" : startWaiting()) + close();
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
      if (!shownToAnthropic(detail)) continue;
      if (detail.type === "reasoning.encrypted") {
        out += open({ type: "redacted_thinking", data: detail.data }, "redacted_thinking") + close();
        continue;
      }
      if (openBlock !== "thinking" || thinkingIndex !== (detail.index ?? 0)) {
        // The signature is empty until one comes (another provider's reasoning has none), as a buffered answer says.
        out += open({ type: "thinking", thinking: "", signature: "" }, "thinking");
        thinkingIndex = detail.index ?? 0;
      }
      const text = reasoningText(detail);
      if (text) out += delta({ type: "thinking_delta", thinking: text });
      if (detail.type === "reasoning.text" && detail.signature)
        out += delta({ type: "signature_delta", signature: detail.signature });
    }
    return out;
  };
  const inputJson = (partial: string) => delta({ type: "input_json_delta", partial_json: partial });
  const startTool = (tool: ToolBlock) => {
    const out = open({ type: "tool_use", id: tool.id, name: tool.name, input: {} }, "tool_use");
    tool.block = blockIndex;
    streaming = tool;
    return out + (tool.arguments ? inputJson(tool.arguments) : "");
  };
  /** The waiting calls whose turn has come: all of them, or (`whileWhole`) those after calls that are whole. */
  function startWaiting(whileWhole = false): string {
    let out = "";
    while (waiting.length > 0 && (!whileWhole || (streaming && wholeArguments(streaming.arguments))))
      out += startTool(waiting.shift() as ToolBlock);
    return out;
  }
  const toolCall = (call: NonNullable<ChatDelta["tool_calls"]>[number]) => {
    let out = "";
    let tool = tools.get(call.index);
    // A new id is a new call; the same id again (hosts that repeat it on every piece) is the same call.
    if (!tool || (call.id !== undefined && call.id !== tool.id)) {
      tool = { id: call.id ?? `toolu_${call.index}`, name: call.function?.name ?? "", arguments: "" };
      tools.set(call.index, tool);
      if (streaming && !wholeArguments(streaming.arguments)) waiting.push(tool);
      else out += startTool(tool);
    }
    const args = call.function?.arguments;
    if (!args) return out;
    tool.arguments += args;
    if (tool === streaming) return out + inputJson(args) + startWaiting(true);
    // A call whose block has stopped (its arguments looked whole) still gets the rest, where Anthropic's SDK finds it.
    if (tool.block !== undefined)
      out += sse("content_block_delta", {
        type: "content_block_delta",
        index: tool.block,
        delta: { type: "input_json_delta", partial_json: args },
      });
    return out;
  };

  return {
    begin(endpoint, prompt) {
      const message = {
        id,
        type: "message",
        role: "assistant",
        model: endpoint.modelId,
        provider: endpoint.providerName,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // Claude's own figures when it gave them; other upstreams report usage only at the end: an estimate.
        usage: prompt
          ? usageToAnthropic(prompt)
          : {
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
      const { content, refusal } = event.delta;
      const claude = event.claudeText;
      // Another of Claude's text blocks starts: a block of its own here too, where its citations go.
      if (claude && openBlock === "text" && claude.block !== claudeBlock) out += close();
      if (content || refusal || claude?.citation) {
        if (refusal) refused = true;
        if (openBlock !== "text") {
          out += open({ type: "text", text: "" }, "text");
          claudeBlock = claude?.block;
        }
        if (claude?.citation) out += delta({ type: "citations_delta", citation: claude.citation });
        if (content || refusal) out += delta({ type: "text_delta", text: answerText(content, refusal) });
      }
      for (const call of event.delta.tool_calls ?? []) out += toolCall(call);
      return out;
    },
    end(finishReason, settled, stopSequence) {
      return (
        startWaiting() +
        close() +
        sse("message_delta", {
          type: "message_delta",
          delta: stopFields(finishOf(finishReason, refused), stopSequence),
          usage: anthropicUsage(settled),
        }) +
        sse("message_stop", { type: "message_stop" })
      );
    },
    fail(error) {
      return (
        startWaiting() +
        close() +
        // The error's own type: a request error (a prompt too long) is not an api_error a client retries.
        sse("error", errorBody(error, "anthropic"))
      );
    },
  };
}
