import type { JunctionError } from "@junction/core";
import type { ChatCompletion, FinishReason, StreamEvent, ToolCall } from "@junction/providers";
import type { CatalogEndpoint } from "@junction/routing/catalog";
import type { SettledGeneration } from "../generation.js";
import type { StreamSink } from "../stream.js";
import { openAiUsage } from "./openai.js";

/** OpenAI's Responses API answers: the response object and its event stream. */

type OutputItem =
  | { type: "reasoning"; id: string; summary: { type: "summary_text"; text: string }[] }
  | {
      type: "message";
      id: string;
      status: "in_progress" | "completed";
      role: "assistant";
      content: { type: "output_text"; text: string; annotations: [] }[];
    }
  | {
      type: "function_call";
      id: string;
      call_id: string;
      name: string;
      arguments: string;
      status: "in_progress" | "completed";
    };

/** The Responses API's usage, with the cost fields every Junction answer carries. */
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
    input_tokens_details: { cached_tokens: prompt_tokens_details.cached_tokens },
    output_tokens: completion_tokens,
    output_tokens_details: { reasoning_tokens: completion_tokens_details.reasoning_tokens },
    total_tokens,
    ...cost,
  };
}

/** Cut short by the token limit or a filter: `incomplete`, saying why, as OpenAI answers. */
function outcome(finish: FinishReason) {
  if (finish === "length")
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finish === "content_filter")
    return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

function responseObject(
  id: string,
  created: number,
  endpoint: CatalogEndpoint | undefined,
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
    parallel_tool_calls: true,
    previous_response_id: null,
    store: false,
    usage: null,
    ...fields,
  };
}

const functionCallItem = (call: ToolCall, status: "in_progress" | "completed"): OutputItem => ({
  type: "function_call",
  id: `fc_${call.id}`,
  call_id: call.id,
  name: call.function.name,
  arguments: call.function.arguments,
  status,
});

export function responsesBody(
  id: string,
  created: number,
  completion: ChatCompletion,
  settled: SettledGeneration,
) {
  const { message } = completion;
  const output: OutputItem[] = [];
  const reasoning = message.reasoning ?? "";
  if (reasoning)
    output.push({ type: "reasoning", id: `rs_${id}`, summary: [{ type: "summary_text", text: reasoning }] });
  if (message.content) {
    output.push({
      type: "message",
      id: `msg_${id}`,
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: message.content, annotations: [] }],
    });
  }
  for (const call of message.tool_calls ?? []) output.push(functionCallItem(call, "completed"));
  return responseObject(id, created, settled.endpoint, {
    ...outcome(completion.finishReason),
    output,
    usage: responsesUsage(settled),
  });
}

/**
 * The Responses event stream: response.created and .in_progress; per output item (reasoning summary, message,
 * function call) output_item.added, its parts and deltas, their .done events and output_item.done; then
 * response.completed (or .incomplete) with the usage, or response.failed. Every event has a sequence_number.
 */
export function createResponsesSink(id: string, created: number): StreamSink {
  let sequence = 0;
  let endpoint: CatalogEndpoint | undefined;
  const output: OutputItem[] = [];
  let open: OutputItem | undefined;
  const calls = new Map<number, Extract<OutputItem, { type: "function_call" }>>();
  const emit = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`;
  const at = (item: OutputItem) => ({ item_id: item.id, output_index: output.indexOf(item) });

  const close = (): string => {
    const item = open;
    if (!item) return "";
    open = undefined;
    let out = "";
    if (item.type === "reasoning") {
      const part = item.summary[0] as { type: "summary_text"; text: string };
      out += emit("response.reasoning_summary_text.done", { ...at(item), summary_index: 0, text: part.text });
      out += emit("response.reasoning_summary_part.done", { ...at(item), summary_index: 0, part });
    } else if (item.type === "message") {
      const part = item.content[0] as { type: "output_text"; text: string; annotations: [] };
      out += emit("response.output_text.done", {
        ...at(item),
        content_index: 0,
        text: part.text,
        logprobs: [],
      });
      out += emit("response.content_part.done", { ...at(item), content_index: 0, part });
      item.status = "completed";
    } else {
      out += emit("response.function_call_arguments.done", { ...at(item), arguments: item.arguments });
      item.status = "completed";
    }
    return out + emit("response.output_item.done", { output_index: output.indexOf(item), item });
  };
  const begin = (item: OutputItem): string => {
    let out = close();
    output.push(item);
    open = item;
    // The item as it starts: nothing in it yet.
    const empty =
      item.type === "reasoning"
        ? { ...item, summary: [] }
        : item.type === "message"
          ? { ...item, content: [] }
          : { ...item, arguments: "" };
    out += emit("response.output_item.added", { output_index: output.length - 1, item: empty });
    if (item.type === "reasoning")
      out += emit("response.reasoning_summary_part.added", {
        ...at(item),
        summary_index: 0,
        part: { type: "summary_text", text: "" },
      });
    if (item.type === "message")
      out += emit("response.content_part.added", {
        ...at(item),
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [] },
      });
    return out;
  };
  const snapshot = (fields: Record<string, unknown>) => ({
    response: responseObject(id, created, endpoint, { output, ...fields }),
  });

  return {
    begin(served) {
      endpoint = served;
      return emit("response.created", snapshot({})) + emit("response.in_progress", snapshot({}));
    },
    event(event: StreamEvent) {
      if (event.type !== "delta") return "";
      const { delta } = event;
      let out = "";
      if (delta.reasoning) {
        if (open?.type !== "reasoning")
          out += begin({
            type: "reasoning",
            id: `rs_${id}_${output.length}`,
            summary: [{ type: "summary_text", text: "" }],
          });
        const item = open as Extract<OutputItem, { type: "reasoning" }>;
        (item.summary[0] as { text: string }).text += delta.reasoning;
        out += emit("response.reasoning_summary_text.delta", {
          ...at(item),
          summary_index: 0,
          delta: delta.reasoning,
        });
      }
      if (delta.content) {
        if (open?.type !== "message") {
          out += begin({
            type: "message",
            id: `msg_${id}_${output.length}`,
            status: "in_progress",
            role: "assistant",
            content: [{ type: "output_text", text: "", annotations: [] }],
          });
        }
        const item = open as Extract<OutputItem, { type: "message" }>;
        (item.content[0] as { text: string }).text += delta.content;
        out += emit("response.output_text.delta", {
          ...at(item),
          content_index: 0,
          delta: delta.content,
          logprobs: [],
        });
      }
      for (const call of delta.tool_calls ?? []) {
        let item = calls.get(call.index);
        if (!item || (call.id !== undefined && call.id !== item.call_id)) {
          const callId = call.id ?? `call_${call.index}`;
          item = functionCallItem(
            { id: callId, type: "function", function: { name: call.function?.name ?? "", arguments: "" } },
            "in_progress",
          ) as Extract<OutputItem, { type: "function_call" }>;
          calls.set(call.index, item);
          out += begin(item);
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
      const type = done.status === "completed" ? "response.completed" : "response.incomplete";
      return close() + emit(type, snapshot({ ...done, usage: responsesUsage(settled) }));
    },
    fail(error: JunctionError, settled) {
      return (
        close() +
        emit(
          "response.failed",
          snapshot({
            status: "failed",
            error: { code: error.code, message: error.message, metadata: error.metadata ?? null },
            ...(settled && { usage: responsesUsage(settled) }),
          }),
        )
      );
    },
  };
}
