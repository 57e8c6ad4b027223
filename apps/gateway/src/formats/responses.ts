import { type JunctionError, pushAll } from "@junction/core";
import {
  type Annotation,
  type ChatCompletion,
  encodeReasoning,
  type FinishReason,
  type ReasoningDetail,
  type ResponsesRequest,
  type SearchSources,
  type StreamEvent,
  type ToolCall,
} from "@junction/providers";
import type { CatalogEndpoint } from "@junction/routing/catalog";
import type { SettledGeneration } from "../generation.js";
import type { StreamSink } from "../stream.js";
import { openAiUsage } from "./openai.js";

/** OpenAI's Responses API answers: the response object and its event stream. */

type ItemStatus = "in_progress" | "completed" | "incomplete";
type ReasoningItem = {
  type: "reasoning";
  id: string;
  summary: { type: "summary_text"; text: string }[];
  encrypted_content?: string;
};
/** Token logprobs: Chat Completions' `logprobs.content` entries, which have the Responses API's shape. */
type TokenLogprob = unknown;
/** A web page the text cites (Chat Completions' url_citation, flat). */
type UrlCitation = {
  type: "url_citation";
  url: string;
  title: string;
  start_index: number;
  end_index: number;
};
type TextPart = { type: "output_text"; text: string; annotations: UrlCitation[]; logprobs: TokenLogprob[] };
/** Why the model declined to answer (OpenAI's structured-output refusal), in place of the text. */
type RefusalPart = { type: "refusal"; refusal: string };
type MessagePart = TextPart | RefusalPart;
type MessageItem = {
  type: "message";
  id: string;
  status: ItemStatus;
  role: "assistant";
  content: MessagePart[];
};
type FunctionCallItem = {
  type: "function_call";
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
};
type OutputItem = ReasoningItem | MessageItem | FunctionCallItem;

/**
 * The Responses API's usage, with the cost fields every Junction answer carries. Cache writes are counted as the Chat
 * Completions answer counts them: billed above the input price, they are part of what the cost adds up from.
 */
function responsesUsage(settled: SettledGeneration) {
  const {
    prompt_tokens,
    completion_tokens,
    total_tokens,
    prompt_tokens_details,
    completion_tokens_details,
    ...cost
  } = openAiUsage(settled);
  return {
    input_tokens: prompt_tokens,
    input_tokens_details: prompt_tokens_details,
    output_tokens: completion_tokens,
    output_tokens_details: { reasoning_tokens: completion_tokens_details.reasoning_tokens },
    total_tokens,
    ...cost,
  };
}

/**
 * Cut short by the token limit or a filter: `incomplete`, saying why, as OpenAI answers. Ended by its host in an error
 * (Gemini's malformed function call, OpenRouter's finish_reason "error"): `failed`, so that a client retries rather
 * than take an empty answer for the model's last word.
 */
function outcome(finish: FinishReason) {
  if (finish === "length")
    return { status: "incomplete" as const, incomplete_details: { reason: "max_output_tokens" } };
  if (finish === "content_filter")
    return { status: "incomplete" as const, incomplete_details: { reason: "content_filter" } };
  if (finish === "error")
    return {
      status: "failed" as const,
      incomplete_details: null,
      error: { code: "server_error", message: "The model's answer ended in an error at its provider" },
    };
  return { status: "completed" as const, incomplete_details: null };
}

/** An output item of a failed response is as unfinished as one cut short. */
const itemStatus = (status: ReturnType<typeof outcome>["status"]): ItemStatus =>
  status === "failed" ? "incomplete" : status;

/** The request's settings, echoed in the response as OpenAI does (its defaults where the request set none). */
function echo(request: ResponsesRequest | undefined) {
  return {
    instructions: request?.instructions ?? null,
    max_output_tokens: request?.max_output_tokens ?? null,
    metadata: request?.metadata ?? {},
    parallel_tool_calls: request?.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: request?.reasoning?.effort ?? null, summary: request?.reasoning?.summary ?? null },
    store: false,
    temperature: request?.temperature ?? 1,
    text: { format: request?.text?.format ?? { type: "text" } },
    tool_choice: request?.tool_choice ?? "auto",
    tools: request?.tools ?? [],
    top_p: request?.top_p ?? 1,
    truncation: "disabled",
    user: request?.user ?? null,
  };
}

/**
 * `response.failed`'s error in OpenAI's codes (clients retry on `rate_limit_exceeded`, as Codex does), Junction's own
 * code and detail in its metadata.
 */
function failure(error: JunctionError) {
  return {
    code: failureCode(error),
    message: error.message,
    metadata: { junction_code: error.code, ...error.metadata },
  };
}

/**
 * Only `server_error` and `rate_limit_exceeded` tell a client to try again (Codex does); a request the upstream refused
 * would fail the same way, and a prompt too long must be shortened (Codex compacts on `context_length_exceeded`).
 */
function failureCode(error: JunctionError): string {
  if (error.code === "rate_limited") return "rate_limit_exceeded";
  if (error.code === "context_length_exceeded") return error.code;
  return error.status < 500 ? "invalid_request_error" : "server_error";
}

/** The reasoning the client can send back (when it asked to, with `include`), for Claude's next turn. */
function packed(request: ResponsesRequest | undefined, details: ReasoningDetail[]) {
  const wanted = request?.include?.includes("reasoning.encrypted_content");
  return wanted && details.length ? { encrypted_content: encodeReasoning(details) } : {};
}

function responseObject(
  id: string,
  created: number,
  endpoint: CatalogEndpoint | undefined,
  request: ResponsesRequest | undefined,
  fields: Record<string, unknown>,
) {
  return {
    id,
    object: "response",
    created_at: created,
    status: "in_progress",
    error: null,
    incomplete_details: null,
    model: endpoint?.modelId ?? null,
    provider: endpoint?.providerName ?? null,
    output: [] as OutputItem[],
    usage: null,
    ...echo(request),
    ...fields,
  };
}

/** The tokens of a Chat Completions `logprobs` (`{ content: [...] }`), when the host sent any. */
function tokensOf(logprobs: unknown): TokenLogprob[] {
  const content = (logprobs as { content?: unknown } | null | undefined)?.content;
  return Array.isArray(content) ? content : [];
}

const functionCallItem = (call: ToolCall, status: ItemStatus): FunctionCallItem => ({
  type: "function_call",
  id: `fc_${call.id}`,
  call_id: call.id,
  name: call.function.name,
  arguments: call.function.arguments,
  status,
});

/**
 * The pages a text cites, as url_citation annotations: the host's (a title is required here: the URL stands in), else
 * Perplexity's sources, which say no place in the text (0 and 0, as OpenRouter gives them).
 */
function citationsOf(
  annotations: Annotation[] | undefined,
  sources: SearchSources | undefined,
): UrlCitation[] {
  const cite = (url: string, title: string | undefined, start = 0, end = 0): UrlCitation => ({
    type: "url_citation",
    url,
    title: title ?? url,
    start_index: start,
    end_index: end,
  });
  if (annotations?.length)
    return annotations.flatMap(({ type, url_citation: page }) =>
      type === "url_citation" && page?.url
        ? [cite(page.url, page.title, page.start_index, page.end_index)]
        : [],
    );
  if (sources?.search_results) return sources.search_results.map(({ url, title }) => cite(url, title));
  return (sources?.citations ?? []).map((url) => cite(url, undefined));
}

export function responsesBody(
  id: string,
  created: number,
  completion: ChatCompletion,
  settled: SettledGeneration,
  request: ResponsesRequest | undefined,
) {
  const { message } = completion;
  const done = outcome(completion.finishReason);
  const status = itemStatus(done.status);
  const output: OutputItem[] = [];
  if (message.reasoning || message.reasoning_details?.length) {
    output.push({
      type: "reasoning",
      id: `rs_${id}`,
      summary: message.reasoning ? [{ type: "summary_text", text: message.reasoning }] : [],
      ...packed(request, message.reasoning_details ?? []),
    });
  }
  const parts: MessagePart[] = [];
  if (message.content)
    parts.push({
      type: "output_text",
      text: message.content,
      annotations: citationsOf(message.annotations, completion.sources),
      logprobs: tokensOf(completion.logprobs),
    });
  if (message.refusal) parts.push({ type: "refusal", refusal: message.refusal });
  if (parts.length)
    output.push({ type: "message", id: `msg_${id}`, status, role: "assistant", content: parts });
  for (const call of message.tool_calls ?? []) output.push(functionCallItem(call, status));
  return responseObject(id, created, settled.endpoint, request, {
    ...done,
    output,
    usage: responsesUsage(settled),
  });
}

/**
 * The Responses event stream: response.created and .in_progress; per output item (reasoning summary, message,
 * function call) output_item.added, its parts and deltas, their .done events and output_item.done; then
 * response.completed (or .incomplete) with the usage, or response.failed. Every event has a sequence_number.
 * Function calls stay open until the end: parallel calls' argument deltas may interleave.
 */
export function createResponsesSink(
  id: string,
  created: number,
  request: ResponsesRequest | undefined,
): StreamSink {
  let sequence = 0;
  let begun = false;
  let endpoint: CatalogEndpoint | undefined;
  const output: OutputItem[] = [];
  /** The reasoning or message item being written (calls stay open until the end; `calls` finds one by index). */
  let open: ReasoningItem | MessageItem | undefined;
  let details: ReasoningDetail[] = [];
  /** The text has its citations: Perplexity's sources (on every chunk) are cited once, and not beside the host's. */
  let cited = false;
  const calls = new Map<number, FunctionCallItem>();
  const emit = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`;
  const at = (item: OutputItem) => ({ item_id: item.id, output_index: output.indexOf(item) });
  const itemDone = (item: OutputItem) =>
    emit("response.output_item.done", { output_index: output.indexOf(item), item });

  const close = (status: ItemStatus): string => {
    const item = open;
    if (!item) return "";
    open = undefined;
    if (item.type === "reasoning") {
      const part = item.summary[0] as { type: "summary_text"; text: string };
      Object.assign(item, packed(request, details));
      details = [];
      return (
        emit("response.reasoning_summary_text.done", { ...at(item), summary_index: 0, text: part.text }) +
        emit("response.reasoning_summary_part.done", { ...at(item), summary_index: 0, part }) +
        itemDone(item)
      );
    }
    item.status = status;
    return partDone(item) + itemDone(item);
  };
  /** The message's last part (the one being written) is whole. */
  const partDone = (item: MessageItem): string => {
    const content_index = item.content.length - 1;
    const part = item.content[content_index];
    if (!part) return "";
    const whole =
      part.type === "refusal"
        ? emit("response.refusal.done", { ...at(item), content_index, refusal: part.refusal })
        : emit("response.output_text.done", {
            ...at(item),
            content_index,
            text: part.text,
            logprobs: part.logprobs,
          });
    return whole + emit("response.content_part.done", { ...at(item), content_index, part });
  };
  /**
   * Opens what a piece of the answer of `type` goes in: a message item (unless one is being written) and, unless its
   * last part is of that type, a part of its own.
   */
  const openPart = (type: MessagePart["type"]): string => {
    let out = "";
    if (open?.type !== "message") {
      out += close("completed");
      open = {
        type: "message",
        id: `msg_${id}_${output.length}`,
        status: "in_progress",
        role: "assistant",
        content: [],
      };
      out += add(open);
    }
    const item = open;
    if (item.content.at(-1)?.type === type) return out;
    out += partDone(item);
    const part: MessagePart =
      type === "refusal" ? { type, refusal: "" } : { type, text: "", annotations: [], logprobs: [] };
    item.content.push(part);
    return (
      out + emit("response.content_part.added", { ...at(item), content_index: item.content.length - 1, part })
    );
  };
  /** The message item being written and its last part: where `openPart` left the next piece to go. */
  const lastPart = <P extends MessagePart>() => {
    const item = open as MessageItem;
    const content_index = item.content.length - 1;
    return { item, content_index, part: item.content[content_index] as P };
  };
  const closeCalls = (status: ItemStatus): string => {
    let out = "";
    for (const item of output) {
      if (item.type !== "function_call" || item.status !== "in_progress") continue;
      item.status = status;
      out += emit("response.function_call_arguments.done", { ...at(item), arguments: item.arguments });
      out += itemDone(item);
    }
    calls.clear();
    return out;
  };
  const add = (item: OutputItem): string => {
    output.push(item);
    // The item as it starts: nothing in it yet.
    const empty =
      item.type === "reasoning"
        ? { ...item, summary: [] }
        : item.type === "message"
          ? { ...item, content: [] }
          : { ...item, arguments: "" };
    let out = emit("response.output_item.added", { output_index: output.length - 1, item: empty });
    if (item.type === "reasoning")
      out += emit("response.reasoning_summary_part.added", {
        ...at(item),
        summary_index: 0,
        part: { type: "summary_text", text: "" },
      });
    return out;
  };
  const snapshot = (fields: Record<string, unknown>) => ({
    response: responseObject(id, created, endpoint, request, { output, ...fields }),
  });
  const start = (): string => {
    if (begun) return "";
    begun = true;
    return emit("response.created", snapshot({})) + emit("response.in_progress", snapshot({}));
  };

  return {
    begin(served) {
      endpoint = served;
      return start();
    },
    event(event: StreamEvent) {
      if (event.type !== "delta") return "";
      const { delta } = event;
      let out = "";
      if (delta.reasoning_details) pushAll(details, delta.reasoning_details);
      // Reasoning with no text to show (a signature, redacted thinking) still belongs to a reasoning item.
      if (delta.reasoning || delta.reasoning_details?.length) {
        if (open?.type !== "reasoning") {
          out += close("completed");
          open = {
            type: "reasoning",
            id: `rs_${id}_${output.length}`,
            summary: [{ type: "summary_text", text: "" }],
          };
          out += add(open);
        }
        const item = open;
        if (delta.reasoning) {
          (item.summary[0] as { text: string }).text += delta.reasoning;
          out += emit("response.reasoning_summary_text.delta", {
            ...at(item),
            summary_index: 0,
            delta: delta.reasoning,
          });
        }
      }
      if (delta.content) {
        out += openPart("output_text");
        const { item, content_index, part } = lastPart<TextPart>();
        const tokens = tokensOf(event.logprobs);
        part.text += delta.content;
        pushAll(part.logprobs, tokens);
        out += emit("response.output_text.delta", {
          ...at(item),
          content_index,
          delta: delta.content,
          logprobs: tokens,
        });
      }
      if (delta.annotations?.length || (event.sources && !cited)) {
        cited = true;
        out += openPart("output_text");
        const { item, content_index, part } = lastPart<TextPart>();
        for (const annotation of citationsOf(delta.annotations, event.sources)) {
          const annotation_index = part.annotations.length;
          part.annotations.push(annotation);
          out += emit("response.output_text.annotation.added", {
            ...at(item),
            content_index,
            annotation_index,
            annotation,
          });
        }
      }
      if (delta.refusal) {
        out += openPart("refusal");
        const { item, content_index, part } = lastPart<RefusalPart>();
        part.refusal += delta.refusal;
        out += emit("response.refusal.delta", { ...at(item), content_index, delta: delta.refusal });
      }
      for (const call of delta.tool_calls ?? []) {
        let item = calls.get(call.index);
        // A new id is a new call, even at an index seen before (some hosts send every call at index 0).
        if (!item || (call.id !== undefined && call.id !== item.call_id)) {
          out += close("completed");
          const callId = call.id ?? `call_${call.index}`;
          item = functionCallItem(
            { id: callId, type: "function", function: { name: call.function?.name ?? "", arguments: "" } },
            "in_progress",
          );
          calls.set(call.index, item);
          out += add(item);
        }
        const args = call.function?.arguments;
        if (args) {
          item.arguments += args;
          out += emit("response.function_call_arguments.delta", { ...at(item), delta: args });
        }
      }
      return out;
    },
    end(finishReason, settled) {
      const done = outcome(finishReason);
      const status = itemStatus(done.status);
      return (
        close(status) +
        closeCalls(status) +
        emit(`response.${done.status}`, snapshot({ ...done, usage: responsesUsage(settled) }))
      );
    },
    fail(error: JunctionError, settled) {
      // A failure before any answer (after keep-alive comments) still opens the response, as clients expect.
      return (
        start() +
        close("incomplete") +
        closeCalls("incomplete") +
        emit(
          "response.failed",
          snapshot({
            status: "failed",
            error: failure(error),
            ...(settled && { usage: responsesUsage(settled) }),
          }),
        )
      );
    },
  };
}
