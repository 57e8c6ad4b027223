import { randomUUID } from "node:crypto";
import { JunctionError, parseClientJson, pushAll } from "@junction/core";
import { geminiParameters, geminiSchema } from "./gemini-schema.js";
import { reasoningBudget } from "./reasoning.js";
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  FinishReason,
  ReasoningDetail,
  ToolCall,
  ToolChoice,
  Usage,
} from "./types.js";
import { replayedContent } from "./types.js";

/** Google Generative Language API (`v1beta`) wire types: only the fields Junction writes or reads. */
export type GeminiPart = {
  text?: string;
  /** A thought summary, not answer text (only present when thoughts were requested). */
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: { id?: string; name: string; args?: Record<string, unknown> };
  functionResponse?: { name: string; response: Record<string, unknown> };
};

export type GeminiContent = { role: "user" | "model"; parts: GeminiPart[] };

export type GeminiRequest = {
  contents: GeminiContent[];
  systemInstruction?: { parts: { text: string }[] };
  tools?: {
    functionDeclarations: { name: string; description?: string; parameters?: Record<string, unknown> }[];
  }[];
  toolConfig?: { functionCallingConfig: { mode: "AUTO" | "ANY" | "NONE"; allowedFunctionNames?: string[] } };
  generationConfig?: Record<string, unknown>;
};

export type GeminiUsage = {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
};

export type GeminiResponse = {
  candidates?: { content?: { role?: string; parts?: GeminiPart[] }; finishReason?: string }[];
  promptFeedback?: { blockReason?: string };
  usageMetadata?: GeminiUsage;
  modelVersion?: string;
  responseId?: string;
  /** Only inside a stream: an upstream failure after the 200. */
  error?: { code?: number; message?: string; status?: string };
};

/** OpenAI sampling parameters and their generationConfig names: the numeric ones map one to one. */
const GENERATION_PARAMETERS: readonly (readonly [string, string])[] = [
  ["temperature", "temperature"],
  ["top_p", "topP"],
  ["top_k", "topK"],
  ["seed", "seed"],
  ["presence_penalty", "presencePenalty"],
  ["frequency_penalty", "frequencyPenalty"],
];

const FUNCTION_CALLING_MODE = { auto: "AUTO", required: "ANY", none: "NONE" } as const;

const FINISH: Record<string, FinishReason> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  BLOCKLIST: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  SPII: "content_filter",
  IMAGE_SAFETY: "content_filter",
  IMAGE_PROHIBITED_CONTENT: "content_filter",
  IMAGE_RECITATION: "content_filter",
  LANGUAGE: "content_filter",
  MALFORMED_FUNCTION_CALL: "error",
  MALFORMED_RESPONSE: "error",
  MISSING_THOUGHT_SIGNATURE: "error",
  UNEXPECTED_TOOL_CALL: "error",
  TOO_MANY_TOOL_CALLS: "error",
  // "Unknown reason": the model did not finish its answer, so it is not a "stop".
  OTHER: "error",
};

/** Extensions Gemini reads by URL when no MIME type is given (a fileData part names its type). */
const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  heic: "image/heic",
  heif: "image/heif",
  pdf: "application/pdf",
};

/**
 * Gemini 3 rejects a replayed function call without the thought signature it was issued with. A client that keeps
 * reasoning_details sends it back; turns without it (most OpenAI-format clients, every Anthropic one) get Google's
 * documented "skip validation" value; models before Gemini 3 (and Gemma) neither need nor expect it.
 */
const SKIP_THOUGHT_SIGNATURE = "skip_thought_signature_validator";
const SIGNATURE_NOT_REQUIRED = /^(gemini-(1|2)\.|gemma-)/;
/** Gemma on the Gemini API has no system instruction; its system text leads the first user turn instead. */
const NO_SYSTEM_INSTRUCTION = /^gemma-/;
/** Models that think (and take a thinkingConfig): Gemini 2.5 and later. */
const THINKS = /^gemini-(2\.5|[3-9])/;

export function finishFromGemini(reason: string | undefined, calledTools: boolean): FinishReason {
  const finish = FINISH[reason ?? "STOP"] ?? "stop";
  return finish === "stop" && calledTools ? "tool_calls" : finish;
}

/** Gemini counts cached tokens inside promptTokenCount and thoughts outside candidatesTokenCount. */
export function usageFromGemini(usage: GeminiUsage | undefined): Usage | undefined {
  if (!usage || typeof usage.promptTokenCount !== "number") return undefined;
  const thoughts = usage.thoughtsTokenCount ?? 0;
  return {
    promptTokens: usage.promptTokenCount + (usage.toolUsePromptTokenCount ?? 0),
    completionTokens: (usage.candidatesTokenCount ?? 0) + thoughts,
    cachedTokens: usage.cachedContentTokenCount ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  };
}

/** The thought summaries' text: the model's reasoning (present when the request asked for it). */
export function thoughtText(response: GeminiResponse): string {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  return parts.map((part) => (part.thought && part.text ? part.text : "")).join("");
}

/** The answer's own parts: thought summaries are reasoning, not content. */
export function answerParts(response: GeminiResponse): GeminiPart[] {
  return (response.candidates?.[0]?.content?.parts ?? []).filter((part) => !part.thought);
}

/** OpenRouter's name for Gemini's reasoning: its thought signatures go back to Gemini only. */
export const GEMINI_REASONING_FORMAT = "google-gemini-v1";

/**
 * A function call's thought signature, as OpenRouter hands it to clients: an encrypted reasoning detail tied to the
 * call's id. A client that sends reasoning_details back gives Gemini its own signature instead of the stand-in.
 */
export function signatureDetails(part: GeminiPart, call: ToolCall): ReasoningDetail[] {
  if (!part.thoughtSignature) return [];
  return [
    {
      type: "reasoning.encrypted",
      data: part.thoughtSignature,
      id: call.id,
      format: GEMINI_REASONING_FORMAT,
    },
  ];
}

/** The thought signatures an assistant turn carried back, by the id of the tool call each belongs to. */
function signaturesByCall(details: ReasoningDetail[] | undefined): Map<string, string> {
  const signatures = new Map<string, string>();
  for (const detail of details ?? []) {
    if (detail.type === "reasoning.encrypted" && detail.format === GEMINI_REASONING_FORMAT && detail.id)
      signatures.set(detail.id, detail.data);
  }
  return signatures;
}

/**
 * A tool call keeps the id Gemini issued; without one it gets a random id in OpenAI's shape. Ids repeated across a
 * conversation's turns (`call_0` each time) break clients that key results by id, and Anthropic refuses them.
 */
export function toolCallFromGemini(call: NonNullable<GeminiPart["functionCall"]>): ToolCall {
  return {
    id: call.id ?? `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
  };
}

function textOf(content: string | ContentPart[] | null): string {
  if (content === null) return "";
  return typeof content === "string"
    ? content
    : content.map((part) => (part.type === "text" ? part.text : "")).join("");
}

/** A system message's text. Gemini's systemInstruction takes text only (its API reference): an image would be lost. */
function systemText(content: string | ContentPart[] | null, index: number): string {
  const media = Array.isArray(content) ? content.findIndex((part) => part.type !== "text") : -1;
  if (media >= 0) {
    throw new JunctionError(
      "bad_request",
      "Gemini takes only text in system messages: send the image or file in a user message",
      { param: `messages.${index}.content.${media}` },
    );
  }
  return textOf(content);
}

function percentDecoded(payload: string): string {
  try {
    return decodeURIComponent(payload);
  } catch {
    throw new JunctionError("bad_request", "A data URL's content is not valid percent-encoding", {
      param: "messages",
    });
  }
}

function mediaPart(url: string): GeminiPart {
  const dataUrl = /^data:([^;,]+)?((?:;[^;,]+)*?)(;base64)?,(.*)$/s.exec(url);
  if (dataUrl) {
    const mimeType = dataUrl[1] ?? "application/octet-stream";
    const payload = dataUrl[4] ?? "";
    const data = dataUrl[3] ? payload : Buffer.from(percentDecoded(payload)).toString("base64");
    return { inlineData: { mimeType, data } };
  }
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  const mimeType = extension ? MIME_BY_EXTENSION[extension] : undefined;
  return { fileData: { fileUri: url, ...(mimeType && { mimeType }) } };
}

function partsOf(content: string | ContentPart[] | null): GeminiPart[] {
  if (content === null) return [];
  if (typeof content === "string") return content ? [{ text: content }] : [];
  return content.flatMap((part): GeminiPart[] => {
    if (part.type === "text") return part.text ? [{ text: part.text }] : [];
    return [mediaPart(part.type === "file" ? part.file.file_data : part.image_url.url)];
  });
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = parseClientJson(text || "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { arguments: text };
  }
}

/**
 * A tool result must be a JSON object for Gemini; anything else is wrapped as the documented `output`. A failed tool's
 * result (Anthropic's `is_error`) is the documented `error`.
 */
function functionResponseBody(text: string, failed = false): Record<string, unknown> {
  let value: unknown = text;
  try {
    value = parseClientJson(text);
  } catch {}
  if (failed) return { error: value };
  if (typeof value === "object" && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  return { output: value };
}

function contentsFromMessages(messages: ChatMessage[], model: string): GeminiContent[] {
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const signatures = !SIGNATURE_NOT_REQUIRED.test(model);
  const push = (role: GeminiContent["role"], parts: GeminiPart[]) => {
    if (!parts.length) return;
    const last = contents[contents.length - 1];
    // Consecutive turns of one role (e.g. parallel tool results) belong in one content.
    if (last?.role === role) pushAll(last.parts, parts);
    else contents.push({ role, parts });
  };
  for (const message of messages) {
    switch (message.role) {
      case "system":
      case "developer":
        break;
      case "user":
        push("user", partsOf(message.content));
        break;
      case "assistant": {
        const signed = signaturesByCall(message.reasoning_details);
        const calls = (message.tool_calls ?? []).map((call, index): GeminiPart => {
          toolNames.set(call.id, call.function.name);
          const functionCall = { name: call.function.name, args: parseArguments(call.function.arguments) };
          const thoughtSignature =
            signed.get(call.id) ?? (index === 0 && signatures ? SKIP_THOUGHT_SIGNATURE : undefined);
          return thoughtSignature ? { functionCall, thoughtSignature } : { functionCall };
        });
        // A refusal is the turn's words (content null, as OpenAI's SDKs hand it back): without them the turn is lost.
        const said = replayedContent(message);
        push("model", [...partsOf(said), ...calls]);
        break;
      }
      case "tool": {
        const name = toolNames.get(message.tool_call_id) ?? message.tool_call_id;
        // Images a tool returned follow its response, in the same turn.
        const images =
          typeof message.content === "string"
            ? []
            : partsOf(message.content.filter((part) => part.type !== "text"));
        push("user", [
          {
            functionResponse: {
              name,
              response: functionResponseBody(textOf(message.content), message.is_error),
            },
          },
          ...images,
        ]);
        break;
      }
    }
  }
  return contents;
}

function toolConfig(choice: ToolChoice | undefined): GeminiRequest["toolConfig"] {
  if (choice === undefined) return undefined;
  if (typeof choice === "string") return { functionCallingConfig: { mode: FUNCTION_CALLING_MODE[choice] } };
  return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.function.name] } };
}

/** The request turns reasoning off: `reasoning.enabled: false`, or an effort of "none". */
const asksNoReasoning = (request: ChatRequest): boolean =>
  request.reasoning?.enabled === false || (request.reasoning?.effort ?? request.reasoning_effort) === "none";

/** The least thinking a model takes: 2.5 Flash and Flash-Lite can stop, 2.5 Pro's least is 128, Gemini 3's "low". */
function leastThinking(model: string): Record<string, unknown> {
  if (/^gemini-2\.5-flash/.test(model)) return { thinkingBudget: 0 };
  if (/^gemini-2\.5/.test(model)) return { thinkingBudget: 128 };
  return { thinkingLevel: "low" };
}

/** What an effort is a share of when the request sets no output limit (the Anthropic adapter's default, too). */
const DEFAULT_THINKING_BASE = 4096;

function generationConfig(request: ChatRequest, model: string): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [from, to] of GENERATION_PARAMETERS) {
    if (typeof request[from] === "number") config[to] = request[from];
  }
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  if (request.stop !== undefined)
    config.stopSequences = typeof request.stop === "string" ? [request.stop] : request.stop;
  // Gemini 2.5 thinks within a budget of up to 24,576 tokens; asked for reasoning, it also returns thought summaries.
  // Adaptive thinking is Gemini's dynamic budget (-1): the model decides.
  const budget = !THINKS.test(model)
    ? undefined
    : request.reasoning?.adaptive
      ? -1
      : reasoningBudget(request, maxTokens ?? DEFAULT_THINKING_BASE, { min: 1024, max: 24_576 });
  if (budget !== undefined) config.thinkingConfig = { thinkingBudget: budget, includeThoughts: true };
  // Told nothing, these models think (and bill it); asked for no reasoning, they think as little as they can.
  else if (THINKS.test(model) && asksNoReasoning(request)) config.thinkingConfig = leastThinking(model);
  const format = request.response_format;
  if (format?.type === "json_object" || format?.type === "json_schema")
    config.responseMimeType = "application/json";
  if (format?.type === "json_schema" && format.json_schema.schema)
    config.responseSchema = geminiSchema(format.json_schema.schema);
  return config;
}

/** Translates the internal (OpenAI-shaped) request into a generateContent body for `model`. */
export function geminiRequestFromChat(request: ChatRequest, model: string): GeminiRequest {
  const system = request.messages.flatMap((message, index) =>
    message.role === "system" || message.role === "developer" ? [systemText(message.content, index)] : [],
  );
  const contents = contentsFromMessages(request.messages, model);
  const body: GeminiRequest = { contents };
  if (system.length && NO_SYSTEM_INSTRUCTION.test(model)) {
    const first = contents.find((content) => content.role === "user");
    if (first) first.parts.unshift({ text: system.join("\n\n") });
    else contents.unshift({ role: "user", parts: [{ text: system.join("\n\n") }] });
  } else if (system.length) {
    body.systemInstruction = { parts: system.map((text) => ({ text })) };
  }
  if (request.tools?.length) {
    body.tools = [
      {
        functionDeclarations: request.tools.map(({ function: fn }) => {
          const parameters = geminiParameters(fn.parameters);
          return {
            name: fn.name,
            ...(fn.description && { description: fn.description }),
            ...(parameters && { parameters }),
          };
        }),
      },
    ];
    const config = toolConfig(request.tool_choice);
    if (config) body.toolConfig = config;
  }
  const config = generationConfig(request, model);
  if (Object.keys(config).length) body.generationConfig = config;
  return body;
}
