import {
  type AnthropicContentBlock,
  type AnthropicUsage,
  anthropicRequestFromChat,
  finishFromAnthropic,
  reasoningDetailsFromBlocks,
  reasoningText,
  usageFromAnthropic,
} from "../anthropic-format.js";
import { errorInBody, ProviderError, type UpstreamErrorObject } from "../errors.js";
import { parseSseJson, readSseStream } from "../sse.js";
import { postJson, readJson, type Transport } from "../transport.js";
import {
  ANTHROPIC_REASONING_FORMAT,
  type AttemptContext,
  type ChatCompletion,
  type ChatDelta,
  type ChatRequest,
  type CitedText,
  type ClaudeCitation,
  type ProviderAdapter,
  type ReasoningDetail,
  type StreamEvent,
  type ToolCall,
  type Usage,
} from "../types.js";

const ANTHROPIC_VERSION = "2023-06-01";
const DEFAULT_MAX_TOKENS = 4096;

type AnthropicResponse = {
  id: string;
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: string | null;
  stop_sequence?: string | null;
  /** Always there at Anthropic; a compatible host may leave it out (the gateway then counts tokens). */
  usage?: AnthropicUsage | null;
  /** `{"type":"error","error":{…}}`: an error a proxy in front of Anthropic sent with status 200. */
  error?: UpstreamErrorObject;
};

type AnthropicStreamEvent =
  | { type: "message_start"; message: { id: string; model: string; usage: AnthropicUsage } }
  | { type: "content_block_start"; index: number; content_block: AnthropicContentBlock }
  | {
      type: "content_block_delta";
      index: number;
      delta: {
        type: string;
        text?: string;
        partial_json?: string;
        thinking?: string;
        signature?: string;
        citation?: ClaudeCitation;
      };
    }
  | { type: "content_block_stop"; index: number }
  | {
      type: "message_delta";
      delta: { stop_reason?: string | null; stop_sequence?: string | null };
      usage?: AnthropicUsage;
    }
  | { type: "message_stop" }
  | { type: "ping" }
  | { type: "error"; error: UpstreamErrorObject };

/**
 * The beta features passed on to Anthropic: those whose requests and answers Junction carries whole (thinking between
 * tool calls, tool arguments streamed unbuffered, Claude's 1M-token context, leaner tool calls, the one-hour cache).
 * Others only mark a client (`claude-code-…`), belong to its own credentials (`oauth-…`), need blocks and tools
 * Junction refuses anyway, or lift limits routing keeps (`output-128k-…`); they are not sent.
 */
const CARRIED_ANTHROPIC_BETAS = new Set([
  "interleaved-thinking-2025-05-14",
  "fine-grained-tool-streaming-2025-05-14",
  "context-1m-2025-08-07",
  "token-efficient-tools-2025-02-19",
  "extended-cache-ttl-2025-04-11",
]);

/** Anthropic's Messages API, translated to and from the internal (OpenAI) shape. */
export function createAnthropicAdapter(transport: Transport): ProviderAdapter {
  const headers = (request: ChatRequest, context: AttemptContext): Record<string, string> => {
    const betas = request.anthropic_beta?.filter((beta) => CARRIED_ANTHROPIC_BETAS.has(beta));
    return {
      "anthropic-version": ANTHROPIC_VERSION,
      ...(betas?.length && { "anthropic-beta": betas.join(",") }),
      ...(context.target.apiKey && { "x-api-key": context.target.apiKey }),
    };
  };
  const send = (request: ChatRequest, context: AttemptContext, stream: boolean) =>
    postJson(
      transport,
      context.target.providerId,
      `${context.target.baseUrl}/v1/messages`,
      headers(request, context),
      { ...anthropicRequestFromChat(request, context.target.providerModelId, DEFAULT_MAX_TOKENS), stream },
      context.signal,
    );

  return {
    kind: "anthropic",
    async complete(request, context): Promise<ChatCompletion> {
      const response = await send(request, context, false);
      const providerId = context.target.providerId;
      const body = await readJson<AnthropicResponse>(providerId, response, context.signal);
      if (body.error) throw errorInBody(providerId, body.error, "upstream error");
      if (!Array.isArray(body.content))
        throw new ProviderError(providerId, "protocol", "upstream returned no content");
      const { text, citedText } = textOf(body.content);
      const toolCalls: ToolCall[] = body.content.flatMap((block) =>
        block.type === "tool_use"
          ? [
              {
                id: block.id,
                type: "function" as const,
                function: { name: block.name, arguments: JSON.stringify(block.input) },
              },
            ]
          : [],
      );
      const reasoning = reasoningDetailsFromBlocks(body.content);
      return {
        id: body.id,
        model: body.model,
        message: {
          role: "assistant",
          content: text || (toolCalls.length ? null : ""),
          ...(toolCalls.length && { tool_calls: toolCalls }),
          ...(reasoning.length && {
            reasoning: reasoning.map((detail) => reasoningText(detail) ?? "").join(""),
            reasoning_details: reasoning,
          }),
        },
        ...(citedText.length && { citedText }),
        finishReason: finishFromAnthropic(body.stop_reason),
        ...(body.stop_sequence && { stopSequence: body.stop_sequence }),
        usage: body.usage ? usageFromAnthropic(body.usage) : undefined,
      };
    },

    async stream(request, context): Promise<AsyncIterable<StreamEvent[]>> {
      const response = await send(request, context, true);
      const providerId = context.target.providerId;
      let usage: AnthropicUsage = {};
      let finish = finishFromAnthropic(null);
      /** message_delta said why the answer ended: all of it, and its usage, has arrived. */
      let stopped = false;
      let promptPending = true;
      let stopSequence: string | undefined;
      // Anthropic numbers all content blocks; OpenAI numbers tool calls only, and reasoning details apart.
      const toolIndexByBlock = new Map<number, number>();
      const reasoningIndexByBlock = new Map<number, number>();
      /** The text block whose first event has gone: the next block's first says it starts another. */
      let textBlock: number | undefined;
      /** An event of Claude's text block `block` (a piece of its text, or a citation of it, the delta then empty). */
      const textEvent = (block: number, delta: ChatDelta, citation?: ClaudeCitation): StreamEvent => {
        if (block === textBlock && !citation) return { type: "delta", delta };
        textBlock = block;
        return { type: "delta", delta, claudeText: citation ? { block, citation } : { block } };
      };
      /** A piece of Claude's reasoning, numbered by its thinking block. */
      const claudeReasoning = (block: number, detail: ReasoningDetail): ReasoningDetail => {
        const index = reasoningIndexByBlock.get(block) ?? reasoningIndexByBlock.size;
        reasoningIndexByBlock.set(block, index);
        return { ...detail, index, format: ANTHROPIC_REASONING_FORMAT };
      };
      return readSseStream(providerId, response, context.signal, {
        message(message, out) {
          const event = parseSseJson<AnthropicStreamEvent>(providerId, message);
          switch (event.type) {
            case "message_start":
              usage = { ...event.message.usage };
              break;
            case "content_block_start":
              if (event.content_block.type === "tool_use") {
                const index = toolIndexByBlock.size;
                toolIndexByBlock.set(event.index, index);
                out.push({
                  type: "delta",
                  delta: {
                    tool_calls: [
                      {
                        index,
                        id: event.content_block.id,
                        type: "function",
                        function: { name: event.content_block.name, arguments: "" },
                      },
                    ],
                  },
                });
              } else if (event.content_block.type === "redacted_thinking") {
                const detail = claudeReasoning(event.index, {
                  type: "reasoning.encrypted",
                  data: event.content_block.data,
                });
                out.push({ type: "delta", delta: { reasoning_details: [detail] } });
              } else if (event.content_block.type === "text" && event.content_block.text) {
                out.push(textEvent(event.index, { content: event.content_block.text }));
              }
              break;
            case "content_block_delta":
              if (event.delta.type === "text_delta" && event.delta.text) {
                out.push(textEvent(event.index, { content: event.delta.text }));
              } else if (event.delta.type === "citations_delta" && event.delta.citation) {
                out.push(textEvent(event.index, {}, event.delta.citation));
              } else if (event.delta.type === "thinking_delta" && event.delta.thinking) {
                const text = event.delta.thinking;
                const detail = claudeReasoning(event.index, { type: "reasoning.text", text });
                out.push({ type: "delta", delta: { reasoning: text, reasoning_details: [detail] } });
              } else if (event.delta.type === "signature_delta" && event.delta.signature) {
                const signature = event.delta.signature;
                const detail = claudeReasoning(event.index, { type: "reasoning.text", signature });
                out.push({ type: "delta", delta: { reasoning_details: [detail] } });
              } else if (event.delta.type === "input_json_delta" && event.delta.partial_json) {
                const index = toolIndexByBlock.get(event.index) ?? 0;
                out.push({
                  type: "delta",
                  delta: { tool_calls: [{ index, function: { arguments: event.delta.partial_json } }] },
                });
              }
              break;
            case "message_delta":
              if (event.delta.stop_reason) {
                finish = finishFromAnthropic(event.delta.stop_reason);
                stopped = true;
              }
              if (event.delta.stop_sequence) stopSequence = event.delta.stop_sequence;
              if (event.usage) usage = { ...usage, ...definedOnly(event.usage) };
              break;
            case "message_stop":
              out.push({ type: "finish", finishReason: finish, stopSequence });
              out.push({ type: "usage", usage: usageFromAnthropic(usage) satisfies Usage });
              return true;
            case "error":
              // Classified by its type: overloaded before the first token can still go to another endpoint.
              throw errorInBody(providerId, event.error ?? {}, "upstream stream error");
          }
          // message_start's prompt figures go with the first delta (an event of their own would make a batch that
          // counts as the answer begun, and an overload right after it could no longer fall back).
          if (promptPending && usage.input_tokens !== undefined) {
            const first = out.find((pushed) => pushed.type === "delta");
            if (first?.type === "delta") {
              first.promptUsage = usageFromAnthropic(usage);
              promptPending = false;
            }
          }
          return false;
        },
        // message_start's input side is exact; its output is what message_delta last counted.
        reportedUsage: () => (usage.input_tokens === undefined ? undefined : usageFromAnthropic(usage)),
        end(out) {
          // Only message_stop is missing (a proxy that drops it, a connection closed right after): the answer is whole.
          if (!stopped)
            throw new ProviderError(providerId, "protocol", "upstream stream ended before message_stop");
          out.push({ type: "finish", finishReason: finish, stopSequence });
          out.push({ type: "usage", usage: usageFromAnthropic(usage) });
        },
      });
    },
  };
}

/** Claude's text blocks as one content, and where in it are the blocks that cite something. */
function textOf(blocks: AnthropicContentBlock[]): { text: string; citedText: CitedText[] } {
  let text = "";
  const citedText: CitedText[] = [];
  for (const block of blocks) {
    if (block.type !== "text") continue;
    if (block.citations?.length)
      citedText.push({
        start: text.length,
        end: text.length + block.text.length,
        citations: block.citations,
      });
    text += block.text;
  }
  return { text, citedText };
}

function definedOnly(usage: AnthropicUsage): AnthropicUsage {
  return Object.fromEntries(
    Object.entries(usage).filter(([, value]) => value !== null && value !== undefined),
  );
}
