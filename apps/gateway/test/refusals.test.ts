import type OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "./harness.js";
import { type Answer, data, either, event, json, scriptedHarness } from "./scripted-upstream.js";

/**
 * Refusals and request errors as the official clients expect them, on the three chat routes: a model that declines
 * (OpenAI's `refusal`, Claude's stop_reason "refusal"), and an upstream that refuses the request itself (a prompt
 * longer than the model's context), which no retry or other endpoint can mend.
 */
// Keep-alive comments start soon: a Responses stream is under way before a slow upstream answers.
const scripted = scriptedHarness(() => ({ GATEWAY_PROCESSING_COMMENT_MS: "100" }));
let harness: Harness;
beforeAll(() => {
  harness = scripted.harness;
});

const words = "I'm sorry, I can't help with that.";
const usage = { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 };
const chunk = (delta: object, finish: string | null = null) =>
  data({
    id: "chatcmpl-r",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o-mini",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
/** OpenAI's structured-output refusal as it sends it: content null, the words in `refusal`, finish_reason "stop". */
const openAiRefusal: Answer = either(
  [
    chunk({ role: "assistant", content: null, refusal: "" }),
    chunk({ refusal: "I'm sorry, " }),
    chunk({ refusal: "I can't help with that." }),
    chunk({}, "stop"),
    data({ id: "chatcmpl-r", object: "chat.completion.chunk", created: 1, model: "m", choices: [], usage }),
    "data: [DONE]\n\n",
  ],
  {
    id: "chatcmpl-r",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o-mini",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: null, refusal: words },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage,
  },
);

const person = {
  type: "json_schema" as const,
  json_schema: {
    name: "person",
    strict: true,
    schema: {
      type: "object",
      properties: { name: { type: "string" } },
      required: ["name"],
      additionalProperties: false,
    },
  },
};
const ask = [{ role: "user" as const, content: "Extract the person." }];

/** Raw SSE events of a POST to `path` with `body`, as `data:` JSON. */
async function rawEvents(path: string, body: object, headers: Record<string, string>) {
  const response = await fetch(`${harness.gateway.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ ...body, stream: true }),
  });
  return [...(await response.text()).matchAll(/^data: (.*)$/gm)].map(
    (match) => JSON.parse(match[1] as string) as Record<string, unknown> & { type: string },
  );
}
const bearer = () => ({ authorization: `Bearer ${harness.tenant.apiKey}` });

describe("an OpenAI model that refuses (structured outputs)", () => {
  it("/v1/chat/completions keeps the refusal, buffered and streamed (the SDK's refusal events and final message)", async () => {
    scripted.answers.push(openAiRefusal, openAiRefusal);
    const client = harness.openai();
    const whole = await client.chat.completions.create({
      model: "openai/gpt-4o-mini",
      messages: ask,
      response_format: person,
    });
    expect(whole.choices[0]?.message).toMatchObject({ content: null, refusal: words });
    expect(whole.choices[0]?.finish_reason).toBe("stop");

    const stream = client.chat.completions.stream({
      model: "openai/gpt-4o-mini",
      messages: ask,
      response_format: person,
    });
    const pieces: string[] = [];
    stream.on("refusal.delta", ({ delta }) => pieces.push(delta));
    const final = await stream.finalChatCompletion();
    expect(pieces.join("")).toBe(words);
    expect(final.choices[0]?.message.refusal).toBe(words);
    expect(final.choices[0]?.message.parsed).toBeNull();
  });

  it("/v1/responses answers a refusal content part, with response.refusal.delta and .done when streamed", async () => {
    scripted.answers.push(openAiRefusal, openAiRefusal);
    const text: OpenAI.Responses.ResponseCreateParams["text"] = {
      format: { type: "json_schema", ...person.json_schema },
    };
    const whole = await harness
      .openai()
      .responses.create({ model: "openai/gpt-4o-mini", input: "Extract the person.", text });
    expect(whole.status).toBe("completed");
    expect(whole.output).toEqual([
      expect.objectContaining({
        type: "message",
        status: "completed",
        content: [{ type: "refusal", refusal: words }],
      }),
    ]);

    const events = await rawEvents(
      "/v1/responses",
      { model: "openai/gpt-4o-mini", input: "Extract the person.", text },
      bearer(),
    );
    const types = events.map((streamed) => streamed.type);
    expect(types).toContain("response.refusal.delta");
    expect(types).not.toContain("response.output_text.delta");
    expect(events.find((streamed) => streamed.type === "response.content_part.added")).toMatchObject({
      part: { type: "refusal", refusal: "" },
    });
    expect(events.find((streamed) => streamed.type === "response.refusal.done")).toMatchObject({
      content_index: 0,
      refusal: words,
    });
    const deltas = events.filter((streamed) => streamed.type === "response.refusal.delta");
    expect(deltas.map((streamed) => streamed.delta).join("")).toBe(words);
    const completed = events.at(-1) as { type: string; response: OpenAI.Responses.Response };
    expect(completed.type).toBe("response.completed");
    expect(completed.response.output).toEqual(
      whole.output.map((item) => ({ ...item, id: expect.any(String) })),
    );
  });

  it("/v1/messages answers the refusal's words with stop_reason refusal, buffered and streamed", async () => {
    scripted.answers.push(openAiRefusal, openAiRefusal);
    const params = { model: "openai/gpt-4o-mini", max_tokens: 100, messages: ask };
    const whole = await harness.anthropic().messages.create(params);
    expect(whole.content).toEqual([{ type: "text", text: words }]);
    expect(whole.stop_reason).toBe("refusal");

    const final = await harness.anthropic().messages.stream(params).finalMessage();
    expect(final.content).toEqual([{ type: "text", text: words }]);
    expect(final.stop_reason).toBe("refusal");
  });
});

/** Claude's buffered answer of `text`. */
const claudeMessage = (text: string, stopReason: string) => ({
  id: "msg_r",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5",
  content: [{ type: "text", text }],
  stop_reason: stopReason,
  usage: { input_tokens: 12, output_tokens: 3 },
});

describe("Claude refusing (stop_reason refusal)", () => {
  const claudeRefusal: Answer = either(
    [
      event("message_start", {
        message: {
          id: "msg_r",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5",
          content: [],
          stop_reason: null,
          usage: { input_tokens: 12, output_tokens: 1 },
        },
      }),
      event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
      event("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Here is" } }),
      event("content_block_stop", { index: 0 }),
      event("message_delta", { delta: { stop_reason: "refusal" }, usage: { output_tokens: 3 } }),
      event("message_stop", {}),
    ],
    claudeMessage("Here is", "refusal"),
  );

  it("stays a refusal on /v1/messages and is content_filter on /v1/chat/completions, streamed or not", async () => {
    scripted.answers.push(claudeRefusal, claudeRefusal, claudeRefusal);
    const params = { model: "anthropic/claude-sonnet-4-5", max_tokens: 100, messages: ask };
    expect((await harness.anthropic().messages.create(params)).stop_reason).toBe("refusal");
    expect((await harness.anthropic().messages.stream(params).finalMessage()).stop_reason).toBe("refusal");
    const chat = await harness.openai().chat.completions.create({ model: params.model, messages: ask });
    expect(chat.choices[0]?.finish_reason).toBe("content_filter");
  });
});

describe("a refusal sent back in the conversation", () => {
  it("reaches Claude as the assistant turn's text, not as an empty turn Anthropic refuses", async () => {
    let sent: { messages: { role: string; content: unknown }[] } | undefined;
    scripted.answers.push((response, request, body) => {
      sent = JSON.parse(body);
      return json(claudeMessage("Understood.", "end_turn"))(response, request, body);
    });
    // The openai SDK's answer as a client pushes it back onto the conversation: content null, the words in `refusal`.
    const answered = { role: "assistant" as const, content: null, refusal: words };
    await harness.openai().chat.completions.create({
      model: "anthropic/claude-sonnet-4-5",
      messages: [...ask, answered, { role: "user", content: "Then just say hello." }],
    });
    expect(sent?.messages[1]).toEqual({ role: "assistant", content: [{ type: "text", text: words }] });
  });

  it("reaches Gemini as the model turn's text, not dropped (the two user turns around it merged into one)", async () => {
    let sent: { contents: { role: string; parts: unknown[] }[] } | undefined;
    const answer = {
      candidates: [{ content: { role: "model", parts: [{ text: "Hello." }] }, finishReason: "STOP" }],
      usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 2 },
    };
    scripted.answers.push((response, request, body) => {
      sent = JSON.parse(body);
      return json(answer)(response, request, body);
    });
    const answered = { role: "assistant" as const, content: null, refusal: words };
    await harness.openai().chat.completions.create({
      model: "google/gemini-2.5-flash",
      messages: [...ask, answered, { role: "user", content: "Then just say hello." }],
    });
    expect(sent?.contents.map((content) => content.role)).toEqual(["user", "model", "user"]);
    expect(sent?.contents[1]).toEqual({ role: "model", parts: [{ text: words }] });
  });
});

/** An upstream's 4xx answer, as it writes it. */
const refused =
  (status: number, body: object, delayMs = 0): Answer =>
  async (response) => {
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
const openAiTooLong = {
  error: {
    message:
      "This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens. Please reduce the length of the messages.",
    type: "invalid_request_error",
    param: "messages",
    code: "context_length_exceeded",
  },
};
const claudeTooLong = {
  type: "error",
  error: { type: "invalid_request_error", message: "prompt is too long: 210118 tokens > 200000 maximum" },
};
type ApiFailure = { status: number; error: { code?: string; type?: string; message?: string } };
const failureOf = (error: unknown): ApiFailure => error as ApiFailure;

describe("a prompt longer than the model's context", () => {
  it("is a 400 context_length_exceeded on /v1/chat/completions, from OpenAI and from Claude, never retried", async () => {
    scripted.answers.push(refused(400, openAiTooLong), refused(400, claudeTooLong));
    for (const model of ["openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5"]) {
      const failure = await harness
        .openai()
        .chat.completions.create({ model, messages: ask })
        .catch(failureOf);
      expect(failure).toMatchObject({
        status: 400,
        error: { code: "context_length_exceeded", type: "invalid_request_error" },
      });
    }
    // One attempt each: a request that cannot fit is not sent elsewhere.
    expect(scripted.asked).toHaveLength(2);
  });

  it("is Anthropic's invalid_request_error on /v1/messages, with Claude's own words (Claude Code compacts on them)", async () => {
    scripted.answers.push(refused(400, claudeTooLong));
    const failure = await harness
      .anthropic()
      .messages.create({ model: "anthropic/claude-sonnet-4-5", max_tokens: 100, messages: ask })
      .then(() => undefined, failureOf);
    expect(failure?.status).toBe(400);
    expect(failure?.error).toMatchObject({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: expect.stringContaining("prompt is too long: 210118 tokens > 200000 maximum"),
      },
    });
  });

  it("ends a /v1/messages stream already under way with an invalid_request_error event, not an api_error", async () => {
    scripted.answers.push(refused(400, claudeTooLong, 400));
    const events = await rawEvents(
      "/v1/messages",
      { model: "anthropic/claude-sonnet-4-5", max_tokens: 100, messages: ask },
      { "x-api-key": harness.tenant.apiKey },
    );
    expect(events.at(-1)).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("prompt is too long") },
    });
  });

  it("fails a Responses stream already under way with context_length_exceeded, not a retryable server_error", async () => {
    // Answered after the keep-alive comments have begun the stream.
    scripted.answers.push(refused(400, openAiTooLong, 400));
    const events = await rawEvents(
      "/v1/responses",
      { model: "openai/gpt-4o-mini", input: "Summarize the repository." },
      bearer(),
    );
    expect(events.map((streamed) => streamed.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.failed",
    ]);
    expect(events.at(-1)).toMatchObject({
      response: { status: "failed", error: { code: "context_length_exceeded" } },
    });
  });

  it("fails a Responses stream under way on another request error as invalid_request_error, not server_error", async () => {
    const badImage = {
      error: {
        message: "Invalid image URL: unable to download the image.",
        type: "invalid_request_error",
        param: null,
        code: "invalid_image_url",
      },
    };
    scripted.answers.push(refused(400, badImage, 400));
    const events = await rawEvents(
      "/v1/responses",
      { model: "openai/gpt-4o-mini", input: "Describe it." },
      bearer(),
    );
    expect(events.at(-1)).toMatchObject({
      type: "response.failed",
      response: { error: { code: "invalid_request_error" } },
    });
  });
});
