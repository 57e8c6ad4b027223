import { type FakeUpstream, startFakeServer, writeEvents } from "./fake-server.js";

/**
 * A fake Anthropic Messages server: content blocks, tool_use, prompt-cache usage, and the full streaming event
 * order (message_start, content_block_start, ping, content_block_delta…, content_block_stop, message_delta,
 * message_stop); asked to think, a signed thinking block first; errors in Anthropic's shape.
 */
export const FAKE_THINKING = { text: "The user wants a greeting.", signature: "EqQBCkYIBRgCKkBfake" };

export function startFakeAnthropic(): Promise<FakeUpstream> {
  return startFakeServer(
    async (request, response, behavior) => {
      const body = request.body as {
        stream?: boolean;
        model: string;
        tools?: { name: string }[];
        stop_sequences?: string[];
        thinking?: { type: string };
        tool_choice?: { type: string };
      };
      const thinks = body.thinking?.type === "enabled";
      const fullText =
        behavior.kind === "ok" && behavior.text !== undefined
          ? behavior.text
          : "Hello from the fake Anthropic upstream.";
      // As Anthropic: `tool_choice: {type: "none"}` answers in words, with the tools declared.
      const tool = body.tool_choice?.type === "none" ? undefined : body.tools?.[0];
      // As Anthropic: the text ends before the first stop sequence in it, and the answer says which one.
      const stop = (body.stop_sequences ?? [])
        .map((sequence) => ({ sequence, at: fullText.indexOf(sequence) }))
        .filter(({ at }) => at >= 0)
        .sort((a, b) => a.at - b.at)[0];
      const text = stop ? fullText.slice(0, stop.at) : fullText;
      const stopFields = {
        stop_reason: tool ? "tool_use" : stop ? "stop_sequence" : "end_turn",
        stop_sequence: tool ? null : (stop?.sequence ?? null),
      };
      // The 20 tokens written to the cache are kept for an hour when a breakpoint asks for it (`ttl: "1h"`).
      const hourLong = JSON.stringify(request.body).includes('"ttl":"1h"');
      const cacheUsage = {
        input_tokens: (behavior.kind === "ok" && behavior.promptTokens) || 12,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 20,
        cache_creation: {
          ephemeral_5m_input_tokens: hourLong ? 0 : 20,
          ephemeral_1h_input_tokens: hourLong ? 20 : 0,
        },
      };
      const usage = { ...cacheUsage, output_tokens: tool ? 15 : 8 };
      const id = "msg_fake01";
      if (!body.stream) {
        response.writeHead(200, { "content-type": "application/json" });
        const thinking = {
          type: "thinking",
          thinking: FAKE_THINKING.text,
          signature: FAKE_THINKING.signature,
        };
        const content: Record<string, unknown>[] = tool
          ? [
              { type: "text", text: "Let me check." },
              { type: "tool_use", id: "toolu_fake01", name: tool.name, input: { city: "Paris" } },
            ]
          : [{ type: "text", text }];
        if (thinks) content.unshift(thinking);
        response.end(
          JSON.stringify({
            id,
            type: "message",
            role: "assistant",
            model: body.model,
            content,
            ...stopFields,
            usage,
          }),
        );
        return;
      }
      const event = (type: string, data: Record<string, unknown>) =>
        `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
      const events = [
        event("message_start", {
          message: {
            id,
            type: "message",
            role: "assistant",
            model: body.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { ...cacheUsage, output_tokens: 1 },
          },
        }),
      ];
      // Blocks are numbered in order: thinking (when asked for), text, tool_use.
      const at = thinks ? 1 : 0;
      if (thinks) {
        const [first, rest] = [FAKE_THINKING.text.slice(0, 9), FAKE_THINKING.text.slice(9)];
        events.push(
          event("content_block_start", { index: 0, content_block: { type: "thinking", thinking: "" } }),
          event("ping", {}),
          event("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking: first } }),
          event("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking: rest } }),
          event("content_block_delta", {
            index: 0,
            delta: { type: "signature_delta", signature: FAKE_THINKING.signature },
          }),
          event("content_block_stop", { index: 0 }),
        );
      }
      events.push(event("content_block_start", { index: at, content_block: { type: "text", text: "" } }));
      if (!thinks) events.push(event("ping", {}));
      const words = tool ? ["Let ", "me ", "check."] : (text.match(/\S+\s*/g) ?? []);
      for (const word of words)
        events.push(event("content_block_delta", { index: at, delta: { type: "text_delta", text: word } }));
      events.push(event("content_block_stop", { index: at }));
      if (tool) {
        events.push(
          event("content_block_start", {
            index: at + 1,
            content_block: { type: "tool_use", id: "toolu_fake01", name: tool.name, input: {} },
          }),
        );
        events.push(
          event("content_block_delta", {
            index: at + 1,
            delta: { type: "input_json_delta", partial_json: '{"city":' },
          }),
        );
        events.push(
          event("content_block_delta", {
            index: at + 1,
            delta: { type: "input_json_delta", partial_json: ' "Paris"}' },
          }),
        );
        events.push(event("content_block_stop", { index: at + 1 }));
      }
      events.push(
        event("message_delta", {
          delta: stopFields,
          usage: { output_tokens: usage.output_tokens },
        }),
      );
      events.push(event("message_stop", {}));
      await writeEvents(response, events, behavior, request);
    },
    (status) => ({
      type: "error",
      error: {
        type: status === 429 ? "rate_limit_error" : status === 529 ? "overloaded_error" : "api_error",
        message: `fake ${status}`,
      },
    }),
  );
}
