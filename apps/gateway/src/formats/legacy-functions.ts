import { JunctionError } from "@junction/core";
import type { ChatCompletion, ChatDelta, ChatMessage, ChatRequest, FinishReason } from "@junction/providers";

/**
 * OpenAI's legacy function calling (`functions`, `function_call`, `role: "function"` results), which older clients
 * and frameworks still send. Few hosts take it, so it goes to every model as tools (as LiteLLM and OpenRouter carry
 * it), and the answer's tool call comes back as the `function_call` such a client reads.
 */
export type LegacyFunction = { name: string; description?: string; parameters?: Record<string, unknown> };
type FunctionCall = { name: string; arguments: string };
type LegacyMessage =
  | ChatMessage
  | (Extract<ChatMessage, { role: "assistant" }> & { function_call?: FunctionCall })
  | { role: "function"; name: string; content: string | null };

/** A chat request as a legacy client may write it. */
export type LegacyChatRequest = Omit<ChatRequest, "messages"> & {
  messages: LegacyMessage[];
  functions?: LegacyFunction[];
  function_call?: "none" | "auto" | { name: string };
};

const invalid = (param: string, message: string) =>
  new JunctionError("bad_request", `Invalid request: \`${param}\` ${message}`, { param });

/** The request with its legacy fields as tools, tool choice, tool calls and tool results (in place). */
export function functionsAsTools(chat: LegacyChatRequest): ChatRequest {
  const { functions, function_call: choice } = chat;
  delete chat.functions;
  delete chat.function_call;
  delete chat.legacy_functions; // Junction's own mark, never a client's
  if (functions?.length) {
    if (chat.tools !== undefined)
      throw invalid("functions", "cannot be sent with `tools`: send one or the other");
    chat.tools = functions.map((fn) => ({ type: "function", function: fn }));
    // The answer carries one function_call: further calls would be billed and never seen (and their results never
    // sent back), so the model is asked for one, as `functions` asked OpenAI's models.
    chat.parallel_tool_calls = false;
    chat.legacy_functions = true;
  }
  if (typeof choice === "object") {
    if (!functions?.some((fn) => fn.name === choice.name))
      throw invalid("function_call", `names the function "${choice.name}", which is not in \`functions\``);
    chat.tool_choice = { type: "function", function: { name: choice.name } };
  } else if (choice !== undefined && functions?.length) chat.tool_choice = choice;
  chat.messages = messagesWithToolCalls(chat.messages);
  return chat as ChatRequest;
}

const isLegacy = (message: LegacyMessage) =>
  message.role === "function" || (message.role === "assistant" && "function_call" in message);

/**
 * An assistant's `function_call` as a tool call, and the `role: "function"` message that answers it as that call's
 * tool result (the id both share is made up: the legacy protocol has none).
 */
function messagesWithToolCalls(messages: LegacyMessage[]): ChatMessage[] {
  if (!messages.some(isLegacy)) return messages as ChatMessage[];
  let open: string | undefined;
  return messages.map((message, index): ChatMessage => {
    if (message.role === "function") {
      if (open === undefined)
        throw invalid(`messages.${index}`, "is a function result that follows no assistant `function_call`");
      const result: ChatMessage = { role: "tool", tool_call_id: open, content: message.content ?? "" };
      open = undefined;
      return result;
    }
    if (message.role !== "assistant" || !("function_call" in message)) return message;
    const { function_call: call, ...assistant } = message;
    if (!call) return assistant;
    open = `call_function_${index}`;
    const toolCall = {
      id: open,
      type: "function" as const,
      function: { name: call.name, arguments: call.arguments },
    };
    return { ...assistant, tool_calls: [...(assistant.tool_calls ?? []), toolCall] };
  });
}

/** Why the answer ended, in the legacy protocol's words. */
export const legacyFinish = (reason: FinishReason) => (reason === "tool_calls" ? "function_call" : reason);

/** An answer's first tool call as its `function_call` (the legacy protocol has one call per answer). */
export function messageWithFunctionCall(message: Partial<ChatCompletion["message"]>) {
  const { tool_calls: calls, ...rest } = message;
  const call = calls?.[0];
  return call ? Object.assign(rest, { function_call: call.function }) : rest;
}

type FunctionCallDelta = Omit<ChatDelta, "tool_calls"> & {
  function_call?: { name?: string; arguments?: string };
};

/**
 * For one stream: a delta's pieces of the answer's first tool call as `function_call` pieces; undefined for a delta
 * that carried only other calls' pieces, and so nothing to pass on.
 */
export function functionCallDeltas(): (delta: ChatDelta) => FunctionCallDelta | undefined {
  let first: number | undefined;
  return (delta) => {
    const { tool_calls: calls, ...rest } = delta;
    first ??= calls?.[0]?.index;
    const piece = calls?.find((call) => call.index === first)?.function;
    if (piece) return Object.assign(rest, { function_call: piece });
    const others = Object.values(rest).some((value) => value !== undefined && value !== "");
    return others ? rest : undefined;
  };
}
