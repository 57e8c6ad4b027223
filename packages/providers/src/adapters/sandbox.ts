import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { decode, encode } from "gpt-tokenizer";
import { embeddingInputs } from "../embeddings.js";
import { ProviderError } from "../errors.js";
import { asksForReasoning } from "../reasoning.js";
import { countCompletionTokens, countPromptTokens, countTextTokens } from "../tokens.js";
import type {
  ChatCompletion,
  ChatMessage,
  ChatRequest,
  EmbeddingRequest,
  EmbeddingResult,
  FinishReason,
  ProviderAdapter,
  StreamEvent,
  ToolCall,
  ToolDefinition,
} from "../types.js";

/**
 * The built-in sandbox provider: no keys, deterministic replies, real token counts, priced from the catalog.
 * Given tools it calls them (with arguments sampled from their schemas); given a JSON response format it answers
 * JSON. Streams at a fixed token rate so a fresh install shows real streaming.
 */
export type SandboxOptions = { tokensPerSecond: number };

type Reply = {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  stopSequence?: string;
  /** Asked to think (OpenRouter's `reasoning`, `reasoning_effort`, Anthropic's thinking), it reasons first. */
  reasoning?: string;
};

function lastUserText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== "user") continue;
    const content = message.content;
    return typeof content === "string"
      ? content
      : content.map((part) => (part.type === "text" ? part.text : "[image]")).join(" ");
  }
  return "";
}

/** A value that satisfies a (simple) JSON schema, deterministically. */
export function sampleFromSchema(schema: Record<string, unknown> | undefined, key = "value"): unknown {
  if (!schema) return "sample";
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if ("const" in schema) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      return Object.fromEntries(
        Object.entries(properties).map(([name, sub]) => [name, sampleFromSchema(sub, name)]),
      );
    }
    case "array":
      return [sampleFromSchema(schema.items as Record<string, unknown> | undefined, key)];
    case "integer":
    case "number":
      return 42;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return key === "location" || key === "city" ? "Paris" : `sample ${key}`;
  }
}

function chosenTools(request: ChatRequest): ToolDefinition[] {
  const tools = request.tools ?? [];
  const choice = request.tool_choice;
  if (!tools.length || choice === "none") return [];
  const last = request.messages[request.messages.length - 1];
  // After a tool result the model answers in words, as a real model would.
  if (last?.role === "tool") return [];
  if (typeof choice === "object")
    return tools.filter((tool) => tool.function.name === choice.function.name).slice(0, 1);
  return request.parallel_tool_calls === false ? tools.slice(0, 1) : tools.slice(0, 2);
}

/** Deterministic reasoning for a request that asks for it, so thinking shows (and is billed) without keys. */
function reasoningFor(request: ChatRequest, said: string): string | undefined {
  if (!asksForReasoning(request)) return undefined;
  const topic = said.length > 60 ? `${said.slice(0, 57)}...` : said;
  return `The user wrote "${topic}". The sandbox thinks deterministically before it answers, so reasoning streams and is billed as output tokens without provider keys.`;
}

function composeReply(request: ChatRequest, model: string): Reply {
  const limit = request.max_completion_tokens ?? request.max_tokens;
  const thought = reasoningFor(request, lastUserText(request.messages).replace(/\s+/g, " ").trim());
  if (thought === undefined) return composeAnswer(request, model, limit);
  // Thinking counts against max_tokens, as every provider counts it: the answer gets what is left.
  const reasoning = limit === undefined ? thought : truncateToTokens(thought, limit);
  const left = limit === undefined ? undefined : limit - countTextTokens(reasoning);
  if (left !== undefined && left <= 0) return { text: "", toolCalls: [], finishReason: "length", reasoning };
  return { ...composeAnswer(request, model, left), reasoning };
}

function composeAnswer(request: ChatRequest, model: string, limit: number | undefined): Reply {
  const tools = chosenTools(request);
  if (tools.length) {
    const toolCalls = tools.map((tool) => ({
      id: `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
      type: "function" as const,
      function: {
        name: tool.function.name,
        // A function without parameters takes none: `{}`, as the providers send it.
        arguments: JSON.stringify(sampleFromSchema(tool.function.parameters ?? { type: "object" })),
      },
    }));
    return { text: "", toolCalls, finishReason: "tool_calls" };
  }
  const said = lastUserText(request.messages).replace(/\s+/g, " ").trim();
  const quoted = said.length > 160 ? `${said.slice(0, 157)}...` : said;
  const last = request.messages[request.messages.length - 1];
  const sentence =
    last?.role === "tool"
      ? `The tool returned: ${typeof last.content === "string" ? last.content.slice(0, 200) : "[content]"}.`
      : `Hello from the Junction sandbox (${model}). You said: "${quoted}". This reply is deterministic, streamed at a fixed token rate and priced from the catalog, so you can try Junction without any provider keys.`;
  const format = request.response_format;
  let text = sentence;
  if (format?.type === "json_object") text = JSON.stringify({ reply: sentence });
  if (format?.type === "json_schema")
    text = JSON.stringify(sampleFromSchema(format.json_schema.schema ?? { type: "object" }));
  if (limit !== undefined && countTextTokens(text) > limit) {
    return { text: truncateToTokens(text, limit), toolCalls: [], finishReason: "length" };
  }
  // The answer ends where the first of the stop sequences appears.
  let cut: { at: number; stop: string } | undefined;
  for (const stop of [request.stop ?? []].flat()) {
    const at = stop ? text.indexOf(stop) : -1;
    if (at >= 0 && (!cut || at < cut.at)) cut = { at, stop };
  }
  if (cut)
    return { text: text.slice(0, cut.at), toolCalls: [], finishReason: "stop", stopSequence: cut.stop };
  return { text, toolCalls: [], finishReason: "stop" };
}

/** The first `limit` tokens of the text, as a model stopped by max_tokens would produce them. */
function truncateToTokens(text: string, limit: number): string {
  return decode(encode(text).slice(0, limit));
}

function usageOf(request: ChatRequest, reply: Reply) {
  // Reasoning is output, as every provider bills it.
  const reasoningTokens = reply.reasoning ? countTextTokens(reply.reasoning) : 0;
  return {
    promptTokens: countPromptTokens(request),
    completionTokens:
      countCompletionTokens(
        reply.text,
        reply.toolCalls.map((call) => call.function),
      ) + reasoningTokens,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens,
  };
}

export function createSandboxAdapter(options: SandboxOptions): ProviderAdapter {
  const delayFor = (tokens: number): number => (tokens * 1000) / options.tokensPerSecond;
  const generating = (tokens: number, signal: AbortSignal) =>
    sleep(delayFor(tokens), undefined, { signal }).catch(() => {
      throw new ProviderError("sandbox", "aborted", "request aborted");
    });

  return {
    kind: "sandbox",
    async complete(request, context): Promise<ChatCompletion> {
      const reply = composeReply(request, context.target.providerModelId);
      const usage = usageOf(request, reply);
      // As long as streaming the answer takes: a model generates it either way.
      await generating(usage.completionTokens, context.signal);
      return {
        id: `sandbox-${Date.now()}`,
        model: context.target.providerModelId,
        message: {
          role: "assistant",
          content: reply.toolCalls.length ? null : reply.text,
          ...(reply.toolCalls.length && { tool_calls: reply.toolCalls }),
          ...(reply.reasoning && { reasoning: reply.reasoning }),
        },
        finishReason: reply.finishReason,
        ...(reply.stopSequence !== undefined && { stopSequence: reply.stopSequence }),
        usage,
      };
    },

    async stream(request, context): Promise<AsyncIterable<StreamEvent[]>> {
      const reply = composeReply(request, context.target.providerModelId);
      const { signal } = context;
      return (async function* () {
        for (const piece of reply.reasoning?.match(/\S+\s*|\s+/g) ?? []) {
          await generating(countTextTokens(piece), signal);
          yield [{ type: "delta", delta: { reasoning: piece } }];
        }
        const pieces = reply.text.match(/\S+\s*|\s+/g) ?? [];
        for (const piece of pieces) {
          await generating(countTextTokens(piece), signal);
          yield [{ type: "delta", delta: { content: piece } }];
        }
        for (const [index, call] of reply.toolCalls.entries()) {
          yield [
            {
              type: "delta",
              delta: {
                tool_calls: [
                  {
                    index,
                    id: call.id,
                    type: "function",
                    function: { name: call.function.name, arguments: "" },
                  },
                ],
              },
            },
          ];
          // Arguments stream in a few pieces, as real providers send them.
          const args = call.function.arguments;
          const step = Math.max(1, Math.ceil(args.length / 3));
          for (let at = 0; at < args.length; at += step) {
            yield [
              {
                type: "delta",
                delta: { tool_calls: [{ index, function: { arguments: args.slice(at, at + step) } }] },
              },
            ];
          }
        }
        yield [
          { type: "finish", finishReason: reply.finishReason, stopSequence: reply.stopSequence },
          { type: "usage", usage: usageOf(request, reply) },
        ];
      })();
    },

    async embed(request: EmbeddingRequest): Promise<EmbeddingResult> {
      const inputs = embeddingInputs(request.input);
      const dimensions = request.dimensions ?? 16;
      let promptTokens = 0;
      const data = inputs.map((input, index) => {
        const text = typeof input === "string" ? input : JSON.stringify(input);
        promptTokens += countTextTokens(text);
        return { index, embedding: deterministicVector(text, dimensions) };
      });
      return {
        data,
        usage: {
          promptTokens,
          completionTokens: 0,
          cachedTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        },
      };
    },
  };
}

/** A unit vector derived from the text's characters: same text, same vector. */
function deterministicVector(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (let i = 0; i < text.length; i++)
    vector[i % dimensions] = (vector[i % dimensions] ?? 0) + ((text.charCodeAt(i) % 31) - 15);
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => Math.round((value / norm) * 1e6) / 1e6);
}
