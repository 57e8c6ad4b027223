import { type FakeUpstream, startFakeServer, writeEvents } from "./fake-server.js";

type Tool = { function: { name: string } };

/**
 * A fake OpenAI Chat Completions + Embeddings server: real response and chunk shapes, the usage chunk when
 * stream_options.include_usage is set, parallel tool calls with streamed argument deltas, OpenAI's error body.
 */
export function startFakeOpenAi(options: { model?: string } = {}): Promise<FakeUpstream> {
  const modelName = options.model ?? "gpt-4o-mini-2024-07-18";
  return startFakeServer(
    async (request, response, behavior) => {
      const body = request.body as {
        stream?: boolean;
        tools?: Tool[];
        stream_options?: { include_usage?: boolean };
        input?: string | string[];
        encoding_format?: "float" | "base64";
        logprobs?: boolean;
        top_logprobs?: number;
        model?: string;
        max_tokens?: number;
        user?: string;
      };
      if (request.path.endsWith("/embeddings")) {
        const inputs = typeof body.input === "string" ? [body.input] : (body.input ?? []);
        // As OpenAI does: base64 of the little-endian float32 values when asked (the SDKs' default).
        const vector = [0.1, 0.2, 0.3];
        const embedding =
          body.encoding_format === "base64"
            ? Buffer.from(new Float32Array(vector).buffer).toString("base64")
            : vector;
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            object: "list",
            model: "text-embedding-3-small",
            data: inputs.map((_, index) => ({ object: "embedding", index, embedding })),
            usage: { prompt_tokens: inputs.length * 5, total_tokens: inputs.length * 5 },
          }),
        );
        return;
      }
      // As OpenAI: its reasoning models take only max_completion_tokens.
      if (body.max_tokens !== undefined && /^(o\d|gpt-5)/.test(body.model ?? "")) {
        response.writeHead(400, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            error: {
              message:
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
              type: "invalid_request_error",
              param: "max_tokens",
              code: "unsupported_parameter",
            },
          }),
        );
        return;
      }
      // As OpenAI: `user` is at most 64 characters.
      if (typeof body.user === "string" && body.user.length > 64) {
        response.writeHead(400, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            error: {
              message: `Invalid 'user': string too long. Expected a string with maximum length 64, but got a string with length ${body.user.length} instead.`,
              type: "invalid_request_error",
              param: "user",
              code: "string_above_max_length",
            },
          }),
        );
        return;
      }
      const text =
        behavior.kind === "ok" && behavior.text !== undefined
          ? behavior.text
          : "Hello from the fake OpenAI upstream.";
      const tools = body.tools ?? [];
      const reasoningTokens = (behavior.kind === "ok" && behavior.reasoningTokens) || 0;
      const completionTokens = (tools.length ? 18 : 9) + reasoningTokens;
      const usage = {
        prompt_tokens: 21,
        completion_tokens: completionTokens,
        total_tokens: 21 + completionTokens,
        prompt_tokens_details: { cached_tokens: 5 },
        completion_tokens_details: { reasoning_tokens: reasoningTokens },
      };
      const omitUsage = behavior.kind === "ok" && behavior.omitUsage === true;
      const reasoning = behavior.kind === "ok" ? behavior.reasoning : undefined;
      const calls = tools.slice(0, 2).map((tool, index) => ({
        id: `call_fake_${index}`,
        type: "function",
        function: {
          name: tool.function.name,
          arguments: JSON.stringify({ city: index === 0 ? "Paris" : "Oslo" }),
        },
      }));
      const id = "chatcmpl-fake123";
      const created = 1_764_000_000;
      const pieces = text.match(/\S+\s*/g) ?? [];
      // Log probabilities as OpenAI sends them when asked: one entry per token (here, per piece of the text).
      const logprobsOf = (tokens: string[], first = 0) =>
        body.logprobs
          ? {
              content: tokens.map((token, index) => ({
                token,
                logprob: -0.25 * (first + index + 1),
                bytes: [...Buffer.from(token)],
                top_logprobs: Array.from({ length: body.top_logprobs ?? 0 }, (_, rank) => ({
                  token: rank === 0 ? token : `alt${rank}`,
                  logprob: -0.25 * (first + index + 1) - rank,
                  bytes: [...Buffer.from(rank === 0 ? token : `alt${rank}`)],
                })),
              })),
              refusal: null,
            }
          : null;
      if (!body.stream) {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            id,
            object: "chat.completion",
            created,
            model: modelName,
            choices: [
              {
                index: 0,
                message: {
                  role: "assistant",
                  content: calls.length ? null : text,
                  ...(calls.length && { tool_calls: calls }),
                  ...(reasoning && { reasoning_content: reasoning }),
                },
                finish_reason: calls.length ? "tool_calls" : "stop",
                logprobs: calls.length ? null : logprobsOf(pieces),
              },
            ],
            ...(!omitUsage && { usage }),
          }),
        );
        return;
      }
      const chunk = (delta: unknown, finish: string | null = null, logprobs: unknown = undefined) =>
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: modelName, choices: [{ index: 0, delta, ...(logprobs !== undefined && { logprobs }), finish_reason: finish }] })}\n\n`;
      const events = [chunk({ role: "assistant", content: "" })];
      for (const piece of reasoning?.match(/\S+\s*/g) ?? []) events.push(chunk({ reasoning_content: piece }));
      if (calls.length) {
        for (const [index, call] of calls.entries()) {
          events.push(
            chunk({
              tool_calls: [
                {
                  index,
                  id: call.id,
                  type: "function",
                  function: { name: call.function.name, arguments: "" },
                },
              ],
            }),
          );
          const args = call.function.arguments;
          events.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, 5) } }] }));
          events.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(5) } }] }));
        }
      } else {
        for (const [index, piece] of pieces.entries())
          events.push(chunk({ content: piece }, null, logprobsOf([piece], index) ?? undefined));
      }
      events.push(chunk({}, calls.length ? "tool_calls" : "stop"));
      if (body.stream_options?.include_usage && !omitUsage) {
        events.push(
          `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: modelName, choices: [], usage })}\n\n`,
        );
      }
      events.push("data: [DONE]\n\n");
      await writeEvents(response, events, behavior, request);
    },
    (status) => ({
      error: {
        message:
          status === 429
            ? "Rate limit reached for requests"
            : `The server had an error (fake ${status}) sk-secretkey1234567890`,
        type: status === 429 ? "requests" : "server_error",
        param: null,
        code: status === 429 ? "rate_limit_exceeded" : null,
      },
    }),
  );
}
