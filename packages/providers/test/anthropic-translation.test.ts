import { describe, expect, it } from "vitest";
import {
  type AnthropicContentBlock,
  type AnthropicRequest,
  anthropicRequestFromChat,
  type ChatRequest,
  chatRequestFromAnthropic,
  chatRequestFromResponses,
  encodeReasoning,
  geminiRequestFromChat,
} from "../src/index.js";

const ephemeral = { type: "ephemeral" as const };

/** The assistant's call of `name` and the user turn that answers it with `content` (plus the result's own fields). */
const toolCall = (name: string): AnthropicRequest["messages"][number] => ({
  role: "assistant",
  content: [{ type: "tool_use", id: "toolu_1", name, input: {} }],
});
const toolAnswer = (
  content: string | AnthropicContentBlock[],
  extra: Partial<AnthropicContentBlock> = {},
): AnthropicRequest["messages"][number] => ({
  role: "user",
  content: [{ type: "tool_result", tool_use_id: "toolu_1", content, ...extra } as AnthropicContentBlock],
});

/** What Claude Code sends, in short: breakpoints on the last tool, the system prompt and the conversation's tail. */
const claudeCodeRequest: AnthropicRequest = {
  model: "claude-sonnet-4-5",
  max_tokens: 1000,
  system: [
    { type: "text", text: "You are Claude Code." },
    { type: "text", text: "Project rules: be careful.", cache_control: ephemeral },
  ],
  tools: [
    { name: "Read", input_schema: { type: "object" } },
    { name: "Bash", input_schema: { type: "object" }, cache_control: { type: "ephemeral", ttl: "1h" } },
  ],
  messages: [
    { role: "user", content: [{ type: "text", text: "Fix the bug.", cache_control: ephemeral }] },
    toolCall("Read"),
    toolAnswer("export const a = 1;", { cache_control: ephemeral }),
  ],
};

describe("prompt-cache breakpoints (cache_control) across the translation", () => {
  it("keeps every breakpoint of an Anthropic request through the internal shape and back", () => {
    const chat = chatRequestFromAnthropic(claudeCodeRequest);
    const back = anthropicRequestFromChat(chat, "claude-sonnet-4-5", 4096);
    expect(back.system).toEqual(claudeCodeRequest.system);
    expect(back.tools).toEqual(claudeCodeRequest.tools);
    expect(back.messages).toEqual(claudeCodeRequest.messages);
  });

  it("carries them in the internal shape as OpenRouter's OpenAI-format requests do", () => {
    const chat = chatRequestFromAnthropic(claudeCodeRequest);
    expect(chat.messages[0]).toEqual({
      role: "system",
      content: [
        { type: "text", text: "You are Claude Code." },
        { type: "text", text: "Project rules: be careful.", cache_control: ephemeral },
      ],
    });
    expect(chat.messages[1]).toEqual({
      role: "user",
      content: [{ type: "text", text: "Fix the bug.", cache_control: ephemeral }],
    });
    expect(chat.messages[3]).toEqual({
      role: "tool",
      tool_call_id: "toolu_1",
      content: [{ type: "text", text: "export const a = 1;", cache_control: ephemeral }],
    });
    expect(chat.tools?.[1]?.cache_control).toEqual({ type: "ephemeral", ttl: "1h" });
  });

  it("turns OpenAI-format breakpoints into Anthropic blocks, and a breakpoint inside a tool result marks the result", () => {
    const chat: ChatRequest = {
      model: "anthropic/claude-sonnet-4-5",
      messages: [
        {
          role: "system",
          content: [{ type: "text", text: "Long shared context.", cache_control: ephemeral }],
        },
        { role: "system", content: "Today is Monday." },
        {
          role: "user",
          content: [
            { type: "text", text: "Look:" },
            { type: "image_url", image_url: { url: "https://example.com/a.png" }, cache_control: ephemeral },
          ],
        },
      ],
    };
    const out = anthropicRequestFromChat(chat, "claude-sonnet-4-5", 4096);
    expect(out.system).toEqual([
      { type: "text", text: "Long shared context.", cache_control: ephemeral },
      { type: "text", text: "Today is Monday." },
    ]);
    expect(out.messages[0]?.content).toEqual([
      { type: "text", text: "Look:" },
      { type: "image", source: { type: "url", url: "https://example.com/a.png" }, cache_control: ephemeral },
    ]);

    const nested = chatRequestFromAnthropic({
      model: "m",
      max_tokens: 10,
      messages: [
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "toolu_2",
              content: [{ type: "text", text: "done", cache_control: ephemeral }],
            },
          ],
        },
      ],
    });
    expect(nested.messages).toEqual([
      {
        role: "tool",
        tool_call_id: "toolu_2",
        content: [{ type: "text", text: "done", cache_control: ephemeral }],
      },
    ]);
  });

  it("changes nothing for requests without breakpoints: plain strings stay strings", () => {
    const plain: AnthropicRequest = {
      model: "m",
      max_tokens: 10,
      system: [
        { type: "text", text: "a" },
        { type: "text", text: "b" },
      ],
      messages: [
        { role: "user", content: [{ type: "text", text: "hi" }] },
        { role: "assistant", content: [{ type: "text", text: "hello" }] },
      ],
    };
    const chat = chatRequestFromAnthropic(plain);
    expect(chat.messages).toEqual([
      { role: "system", content: "a\nb" },
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
    ]);
    expect(anthropicRequestFromChat(chat, "m", 10).system).toBe("a\nb");
  });
});

describe("images in tool results (a screenshot, a file the model asked to see)", () => {
  const screenshot = { type: "base64" as const, media_type: "image/png", data: "iVBORw0KGgo=" };
  const withScreenshot: AnthropicRequest = {
    model: "m",
    max_tokens: 10,
    messages: [
      { role: "user", content: "Look at the page." },
      toolCall("Screenshot"),
      toolAnswer(
        [
          { type: "text", text: "Captured." },
          { type: "image", source: screenshot },
        ],
        { cache_control: ephemeral },
      ),
    ],
  };

  it("keeps them through the internal shape and back to Anthropic, the result's breakpoint on its last block", () => {
    const chat = chatRequestFromAnthropic(withScreenshot);
    expect(chat.messages[2]).toEqual({
      role: "tool",
      tool_call_id: "toolu_1",
      content: [
        { type: "text", text: "Captured." },
        {
          type: "image_url",
          image_url: { url: "data:image/png;base64,iVBORw0KGgo=" },
          cache_control: ephemeral,
        },
      ],
    });
    expect(anthropicRequestFromChat(chat, "m", 10).messages[2]?.content).toEqual([
      {
        type: "tool_result",
        tool_use_id: "toolu_1",
        content: [
          { type: "text", text: "Captured." },
          { type: "image", source: screenshot, cache_control: ephemeral },
        ],
      },
    ]);
  });

  it("follows the tool's response in the same Gemini turn", () => {
    const gemini = geminiRequestFromChat(chatRequestFromAnthropic(withScreenshot), "gemini-2.5-flash");
    expect(gemini.contents.at(-1)).toEqual({
      role: "user",
      parts: [
        { functionResponse: { name: "Screenshot", response: { output: "Captured." } } },
        { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
      ],
    });
  });
});

describe("a failed tool (Anthropic's is_error)", () => {
  const failed: AnthropicRequest = {
    model: "m",
    max_tokens: 100,
    messages: [
      { role: "user", content: "Read the config." },
      toolCall("Read"),
      toolAnswer('{"code":"ENOENT"}', { is_error: true }),
      toolCall("Read"),
      toolAnswer("42"),
    ],
  };

  it("stays a failure going through the internal format and back to Anthropic", () => {
    const chat = chatRequestFromAnthropic(failed);
    expect(chat.messages.filter((message) => message.role === "tool")).toEqual([
      { role: "tool", tool_call_id: "toolu_1", content: '{"code":"ENOENT"}', is_error: true },
      { role: "tool", tool_call_id: "toolu_1", content: "42" },
    ]);
    expect(anthropicRequestFromChat(chat, "m", 10).messages.slice(1)).toEqual(failed.messages.slice(1));
  });

  it("is Gemini's documented `error` response; a success stays `output`", () => {
    const gemini = geminiRequestFromChat(chatRequestFromAnthropic(failed), "gemini-2.5-flash");
    const responses = gemini.contents.flatMap((content) =>
      content.parts.flatMap((part) => (part.functionResponse ? [part.functionResponse.response] : [])),
    );
    expect(responses).toEqual([{ error: { code: "ENOENT" } }, { output: 42 }]);
  });
});

describe("reasoning → Anthropic's extended thinking", () => {
  const ask = (extra: Partial<ChatRequest>, maxTokens = 10_000) =>
    anthropicRequestFromChat(
      { model: "m", max_tokens: maxTokens, messages: [{ role: "user", content: "hi" }], ...extra },
      "m",
      4096,
    ).thinking;

  it("takes a budget as given, or a share of max_tokens by effort (OpenRouter's rule), at least 1,024", () => {
    expect(ask({ reasoning: { max_tokens: 3000 } })).toEqual({ type: "enabled", budget_tokens: 3000 });
    expect(ask({ reasoning: { effort: "high" } })).toEqual({ type: "enabled", budget_tokens: 8000 });
    expect(ask({ reasoning_effort: "medium" })).toEqual({ type: "enabled", budget_tokens: 5000 });
    expect(ask({ reasoning: { enabled: true } })).toEqual({ type: "enabled", budget_tokens: 5000 });
    expect(ask({ reasoning: { effort: "low" } }, 2000)).toEqual({ type: "enabled", budget_tokens: 1024 });
    expect(ask({ reasoning: { effort: "high" } }, 100_000)).toEqual({
      type: "enabled",
      budget_tokens: 32_000,
    });
    expect(ask({ reasoning: { enabled: false, effort: "high" } })).toBeUndefined();
    expect(ask({})).toBeUndefined();
  });

  it("joins a streamed block's pieces back into one signed thinking block; unsigned reasoning stays behind", () => {
    const out = anthropicRequestFromChat(
      {
        model: "m",
        messages: [
          { role: "user", content: "hi" },
          {
            role: "assistant",
            content: "Hello",
            reasoning_details: [
              { type: "reasoning.text", text: "The user ", index: 0 },
              { type: "reasoning.text", text: "greets me.", index: 0 },
              { type: "reasoning.text", signature: "sig_1", index: 0 },
              { type: "reasoning.text", text: "Another provider's thoughts.", index: 1 },
            ],
          },
        ],
      },
      "m",
      4096,
    );
    expect(out.messages[1]?.content).toEqual([
      { type: "thinking", thinking: "The user greets me.", signature: "sig_1" },
      { type: "text", text: "Hello" },
    ]);
  });
});

describe("documents (PDFs)", () => {
  const file = { file_data: "data:application/pdf;base64,JVBERi0xLjQK", filename: "report.pdf" };
  const chat: ChatRequest = {
    model: "m",
    messages: [{ role: "user", content: [{ type: "file", file, cache_control: ephemeral }] }],
  };

  it("become Anthropic document blocks and come back as file parts, breakpoints kept", () => {
    const anthropic = anthropicRequestFromChat(chat, "m", 10);
    expect(anthropic.messages[0]?.content).toEqual([
      {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" },
        title: "report.pdf",
        cache_control: ephemeral,
      },
    ]);
    expect(chatRequestFromAnthropic(anthropic).messages).toEqual(chat.messages);
  });

  it("become Gemini inline data, and a text document Anthropic sends is its text", () => {
    expect(geminiRequestFromChat(chat, "gemini-2.5-flash").contents[0]?.parts).toEqual([
      { inlineData: { mimeType: "application/pdf", data: "JVBERi0xLjQK" } },
    ]);
    const text = chatRequestFromAnthropic({
      model: "m",
      max_tokens: 10,
      messages: [
        {
          role: "user",
          content: [{ type: "document", source: { type: "text", media_type: "text/plain", data: "Notes." } }],
        },
      ],
    });
    expect(text.messages).toEqual([{ role: "user", content: "Notes." }]);
  });
});

describe("Anthropic's thinking rules, kept for requests from any client", () => {
  const base: ChatRequest = { model: "m", max_tokens: 10_000, messages: [{ role: "user", content: "hi" }] };
  const send = (extra: Partial<ChatRequest>) => anthropicRequestFromChat({ ...base, ...extra }, "m", 4096);

  it("drops temperature and lifts top_p to 0.95 when thinking, and keeps a budget below max_tokens", () => {
    const out = send({ reasoning_effort: "high", temperature: 0.2, top_p: 0.5 });
    expect(out).toMatchObject({ thinking: { type: "enabled", budget_tokens: 8000 }, top_p: 0.95 });
    expect(out).not.toHaveProperty("temperature");
    expect(send({ reasoning: { max_tokens: 50_000 } }).thinking).toEqual({
      type: "enabled",
      budget_tokens: 9999,
    });
    expect(send({ reasoning: { max_tokens: 100 } }).thinking).toEqual({
      type: "enabled",
      budget_tokens: 1024,
    });
  });

  it("sends no thinking where Anthropic would refuse it, instead of a 400", () => {
    expect(send({ reasoning_effort: "low", max_tokens: 1000 }).thinking).toBeUndefined();
    expect(send({ reasoning_effort: "low", tool_choice: "required" }).thinking).toBeUndefined();
    // A tool loop whose last assistant turn has no signed thinking (the client did not send it back).
    const loopMessages: ChatRequest["messages"] = [
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "t1", type: "function", function: { name: "w", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "t1", content: "18°C" },
    ];
    const loop = send({ reasoning_effort: "low", messages: loopMessages });
    expect(loop.thinking).toBeUndefined();
    // Once the loop has ended in an answer, a new user turn may think again.
    const next = send({
      reasoning_effort: "low",
      messages: [
        ...loopMessages,
        { role: "assistant", content: "It is 18°C." },
        { role: "user", content: "And in Oslo?" },
      ],
    });
    expect(next.thinking).toEqual({ type: "enabled", budget_tokens: 2000 });
    expect(send({ reasoning_effort: "none" }).thinking).toBeUndefined();
  });

  it("passes adaptive thinking through, and sends back only Claude's own reasoning", () => {
    const adaptive = chatRequestFromAnthropic({
      model: "m",
      max_tokens: 4000,
      thinking: { type: "adaptive" },
      messages: [{ role: "user", content: "hi" }],
    });
    expect(anthropicRequestFromChat(adaptive, "m", 4096).thinking).toEqual({ type: "adaptive" });
    const history = send({
      messages: [
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: "Hello",
          reasoning_details: [
            { type: "reasoning.encrypted", data: "gAAAA", format: "openai-responses-v1" },
            { type: "reasoning.summary", summary: "Greeted.", format: "anthropic-claude-v1" },
            { type: "reasoning.text", text: "Mine.", signature: "sig", format: "anthropic-claude-v1" },
          ],
        },
      ],
    });
    expect(history.messages[1]?.content).toEqual([
      { type: "thinking", thinking: "Mine.", signature: "sig" },
      { type: "text", text: "Hello" },
    ]);
  });

  it("gives Gemini a dynamic budget for adaptive thinking and at most 24,576 tokens otherwise", () => {
    const config = (request: Partial<ChatRequest>) =>
      geminiRequestFromChat({ ...base, ...request }, "gemini-2.5-flash").generationConfig;
    expect(config({ reasoning: { enabled: true, adaptive: true } })).toMatchObject({
      thinkingConfig: { thinkingBudget: -1 },
    });
    expect(config({ reasoning: { max_tokens: 31_999 } })).toMatchObject({
      thinkingConfig: { thinkingBudget: 24_576 },
    });
  });

  it("carries a document a tool returned, as it carries images", () => {
    const pdf = { type: "base64" as const, media_type: "application/pdf", data: "JVBERi0=" };
    const request: AnthropicRequest = {
      model: "m",
      max_tokens: 10,
      messages: [toolCall("Read"), toolAnswer([{ type: "document", source: pdf }])],
    };
    expect(anthropicRequestFromChat(chatRequestFromAnthropic(request), "m", 10).messages).toEqual(
      request.messages,
    );
  });
});

describe("reasoning carried in a Responses reasoning item's encrypted_content", () => {
  const signed = { type: "reasoning.text" as const, text: "Think.", signature: "sig", index: 0 };
  const packed = (details: unknown[]) => encodeReasoning(details as never);
  /** As a client could write it: anything, behind the prefix (encodeReasoning itself only packs real details). */
  const forged = (details: unknown[]) =>
    `junction.v1.${Buffer.from(JSON.stringify(details)).toString("base64url")}`;

  it("goes back on the turn it belongs to, and nowhere when that turn never came", () => {
    const chat = chatRequestFromResponses({
      model: "m",
      input: [
        { type: "message", role: "user", content: "Hi" },
        { type: "reasoning", encrypted_content: packed([signed]) },
        { type: "function_call", call_id: "c1", name: "f", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "ok" },
        // A turn cut short: its reasoning has no assistant message to go with.
        { type: "reasoning", encrypted_content: packed([signed]) },
        { type: "message", role: "user", content: "Go on" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Done." }] },
      ],
    });
    expect(chat.messages.map((message) => message.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "user",
      "assistant",
    ]);
    expect(chat.messages[1]).toMatchObject({ reasoning_details: [signed] });
    expect(chat.messages[4]).not.toHaveProperty("reasoning_details");
  });

  it("keeps only well-formed details from what a client sent (it could have written anything there)", () => {
    const chat = chatRequestFromResponses({
      model: "m",
      input: [
        {
          type: "reasoning",
          encrypted_content: forged([null, { type: "reasoning.encrypted", data: { a: 1 } }, signed, 7]),
        },
        { type: "message", role: "assistant", content: "Hello" },
        { type: "reasoning", encrypted_content: "junction.v1.%%%not-base64" },
        { type: "reasoning", encrypted_content: "gAAAAB-openai-ciphertext" },
      ],
    });
    expect(chat.messages).toEqual([{ role: "assistant", content: "Hello", reasoning_details: [signed] }]);
    // What is left goes to Anthropic without a fault.
    expect(anthropicRequestFromChat(chat, "m", 10).messages[0]?.content).toEqual([
      { type: "thinking", thinking: "Think.", signature: "sig" },
      { type: "text", text: "Hello" },
    ]);
  });
});

describe("a JSON schema → Anthropic's structured outputs", () => {
  const schema = {
    type: "object",
    properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } },
    required: ["name", "age"],
  };
  const ask = (
    model: string,
    jsonSchema: Record<string, unknown> = schema,
    options: { strict?: boolean; prefill?: boolean } = {},
  ) =>
    anthropicRequestFromChat(
      {
        model: "anthropic/x",
        messages: [
          { role: "user", content: "John is 28." },
          ...(options.prefill ? [{ role: "assistant" as const, content: "{" }] : []),
        ],
        response_format: {
          type: "json_schema",
          json_schema: { name: "person", schema: jsonSchema, strict: options.strict ?? true },
        },
      },
      model,
      4096,
    );

  it("goes as output_config to the models that have it (4.5 on), in the subset Anthropic takes", () => {
    for (const model of [
      "claude-sonnet-4-5",
      "claude-haiku-4-5-20251001",
      "claude-opus-4-6",
      "claude-sonnet-5",
    ]) {
      const out = ask(model);
      expect(out.system, model).toBeUndefined();
      expect(out.output_config, model).toEqual({
        format: {
          type: "json_schema",
          schema: {
            type: "object",
            properties: { name: { type: "string" }, age: { type: "integer", description: "{minimum: 0}" } },
            additionalProperties: false,
            required: ["name", "age"],
          },
        },
      });
    }
  });

  it("inlines nested models given as references (pydantic's $defs), which Anthropic's subset then constrains", () => {
    // What the Python SDK's parse() sends for a pydantic model with a nested one.
    const pydantic = {
      $defs: {
        Address: {
          type: "object",
          properties: { city: { type: "string" } },
          required: ["city"],
          additionalProperties: false,
          title: "Address",
        },
      },
      type: "object",
      properties: {
        home: { $ref: "#/$defs/Address" },
        work: { $ref: "#/$defs/Address", description: "Office" },
      },
      required: ["home", "work"],
      additionalProperties: false,
      title: "Person",
    };
    const address = {
      type: "object",
      title: "Address",
      properties: { city: { type: "string" } },
      additionalProperties: false,
      required: ["city"],
    };
    expect(ask("claude-sonnet-4-5", pydantic).output_config?.format?.schema).toEqual({
      type: "object",
      title: "Person",
      properties: { home: address, work: { ...address, description: "Office" } },
      additionalProperties: false,
      required: ["home", "work"],
    });
  });

  it("stays an instruction for older models, schemas that are not strict or it cannot take, and prefills", () => {
    const instructed = (out: ReturnType<typeof ask>) =>
      out.output_config === undefined && String(out.system).includes("validates against this JSON schema");
    for (const model of ["claude-sonnet-4-20250514", "claude-opus-4-1-20250805", "claude-3-5-haiku-20241022"])
      expect(instructed(ask(model)), model).toBe(true);
    const recursive = { type: "object", properties: { child: { $ref: "#" } } };
    expect(instructed(ask("claude-sonnet-4-5", recursive))).toBe(true);
    const dangling = { type: "object", properties: { child: { $ref: "#/$defs/Missing" } } };
    expect(instructed(ask("claude-sonnet-4-5", dangling))).toBe(true);
    expect(instructed(ask("claude-sonnet-4-5", { properties: {} }))).toBe(true); // no type
    // Not strict: its objects may be open, which Anthropic's subset cannot say.
    expect(instructed(ask("claude-sonnet-4-5", schema, { strict: false }))).toBe(true);
    // A prefilled answer: Anthropic does not combine it with structured output.
    expect(instructed(ask("claude-sonnet-4-5", schema, { prefill: true }))).toBe(true);
  });
});

describe("large requests", () => {
  it("merges consecutive turns of 150,000 parts each (spreading them as arguments would throw a RangeError)", () => {
    const parts = Array.from({ length: 150_000 }, () => ({ type: "text" as const, text: "x" }));
    const out = anthropicRequestFromChat(
      {
        model: "anthropic/x",
        messages: [
          { role: "user", content: parts },
          { role: "user", content: parts },
        ],
      },
      "claude-sonnet-4-5",
      4096,
    );
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0]?.content).toHaveLength(300_000);
  });
});
