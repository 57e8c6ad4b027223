import { describe, expect, it } from "vitest";
import { type ChatMessage, type ChatRequest, finishFromGemini } from "../src/index.js";
import { API_KEY, hello, timeTool, useFakeGemini, weatherTool } from "./gemini-fixtures.js";

const { adapter, context, sentBody, upstream } = useFakeGemini();
/** The thought signature the fake Gemini puts on a turn's first function call. */
const FAKE_SIGNATURE = Buffer.from("fake thought signature").toString("base64");
/** A tool call id Junction made up (Gemini sent none): OpenAI's shape, unique. */
const CALL_ID = expect.stringMatching(/^call_[0-9a-f]{24}$/);

describe("request translation", () => {
  it("puts the key in x-goog-api-key (never the URL) and calls generateContent for the upstream model", async () => {
    await adapter.complete({ ...hello, models: ["x"], provider: { sort: "price" } }, context());
    const request = upstream().requests[0];
    expect(request?.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(request?.headers["x-goog-api-key"]).toBe(API_KEY);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.path).not.toContain(API_KEY);
    expect(sentBody()).toEqual({ contents: [{ role: "user", parts: [{ text: "Hello" }] }] });
  });

  it("does not repeat the API version when the base URL already names it", async () => {
    await adapter.complete(hello, context("models/gemini-2.0-flash", `${upstream().url}/v1beta`));
    expect(upstream().requests[0]?.path).toBe("/v1beta/models/gemini-2.0-flash:generateContent");
  });

  it("maps system and developer messages, roles, images, sampling and JSON mode", async () => {
    await adapter.complete(
      {
        model: "google/gemini-2.5-flash",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
          {
            role: "user",
            content: [
              { type: "text", text: "What is in these?" },
              { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
              { type: "image_url", image_url: { url: "data:text/plain,hi%20there" } },
              { type: "image_url", image_url: { url: "https://example.com/cat.JPG?size=large" } },
              { type: "image_url", image_url: { url: "https://example.com/render" } },
            ],
          },
          { role: "assistant", content: "A cat." },
          { role: "user", content: "Thanks" },
        ],
        temperature: 0.3,
        top_p: 0.9,
        seed: 42,
        max_tokens: 100,
        max_completion_tokens: 200,
        stop: "END",
        presence_penalty: 0.5,
        response_format: { type: "json_object" },
      },
      context(),
    );
    expect(sentBody()).toEqual({
      systemInstruction: { parts: [{ text: "Be brief." }, { text: "Answer in French." }] },
      contents: [
        {
          role: "user",
          parts: [
            { text: "What is in these?" },
            { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
            { inlineData: { mimeType: "text/plain", data: Buffer.from("hi there").toString("base64") } },
            { fileData: { fileUri: "https://example.com/cat.JPG?size=large", mimeType: "image/jpeg" } },
            { fileData: { fileUri: "https://example.com/render" } },
          ],
        },
        { role: "model", parts: [{ text: "A cat." }] },
        { role: "user", parts: [{ text: "Thanks" }] },
      ],
      generationConfig: {
        temperature: 0.3,
        topP: 0.9,
        seed: 42,
        presencePenalty: 0.5,
        maxOutputTokens: 200,
        stopSequences: ["END"],
        responseMimeType: "application/json",
      },
    });
  });

  it("sends json_schema as a Gemini responseSchema", async () => {
    await adapter.complete(
      {
        ...hello,
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "person",
            strict: true,
            schema: {
              type: "object",
              properties: { name: { type: "string" }, email: { type: "string", format: "email" } },
              required: ["name", "email"],
              additionalProperties: false,
            },
          },
        },
      },
      context(),
    );
    expect(sentBody().generationConfig).toEqual({
      responseMimeType: "application/json",
      responseSchema: {
        type: "object",
        properties: { name: { type: "string" }, email: { type: "string" } },
        required: ["name", "email"],
      },
    });
  });

  it("switches thinking off when asked for no reasoning (Gemini 2.5 Flash thinks unless told not to)", async () => {
    const thinkingConfig = async (request: Partial<ChatRequest>, model = "gemini-2.5-flash") => {
      upstream().reset();
      await adapter.complete({ ...hello, ...request }, context(model));
      return (sentBody().generationConfig as { thinkingConfig?: unknown } | undefined)?.thinkingConfig;
    };
    for (const off of [{ reasoning: { enabled: false } }, { reasoning: { effort: "none" } }]) {
      expect(await thinkingConfig(off)).toEqual({ thinkingBudget: 0 });
      expect(await thinkingConfig(off, "gemini-2.5-flash-lite")).toEqual({ thinkingBudget: 0 });
    }
    expect(await thinkingConfig({ reasoning_effort: "none" })).toEqual({ thinkingBudget: 0 });
    // 2.5 Pro cannot stop thinking: its least is 128 tokens. Gemini 3 thinks least at level "low".
    expect(await thinkingConfig({ reasoning: { enabled: false } }, "gemini-2.5-pro")).toEqual({
      thinkingBudget: 128,
    });
    expect(await thinkingConfig({ reasoning_effort: "none" }, "gemini-3-pro-preview")).toEqual({
      thinkingLevel: "low",
    });
    // Nothing asked: the model's own default.
    expect(await thinkingConfig({})).toBeUndefined();
    expect(await thinkingConfig({ reasoning: { enabled: false } }, "gemini-2.0-flash")).toBeUndefined();
  });

  it("declares tools without the JSON-schema keys Gemini rejects, and maps every tool_choice", async () => {
    const choices = [
      [undefined, undefined],
      ["auto", { functionCallingConfig: { mode: "AUTO" } }],
      ["none", { functionCallingConfig: { mode: "NONE" } }],
      ["required", { functionCallingConfig: { mode: "ANY" } }],
      [
        { type: "function", function: { name: "get_time" } },
        { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_time"] } },
      ],
    ] as const;
    for (const [choice, expected] of choices) {
      upstream().reset();
      await adapter.complete({ ...hello, tools: [weatherTool, timeTool], tool_choice: choice }, context());
      expect(sentBody().toolConfig).toEqual(expected);
    }
    expect(sentBody().tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "get_weather",
            description: "Weather for a city",
            parameters: {
              type: "object",
              properties: {
                city: { type: "string" },
                unit: { type: "string", nullable: true, enum: ["c", "f"] },
              },
              required: ["city"],
            },
          },
          // An object schema without properties is a 400 at Gemini: the function takes no parameters instead.
          { name: "get_time" },
        ],
      },
    ]);
  });
});

describe("responses", () => {
  it("maps text, finish reason and usage (cached inside prompt, thoughts billed as output)", async () => {
    const completion = await adapter.complete(hello, context());
    expect(completion).toEqual({
      id: "fakeGeminiResponse01",
      model: "gemini-2.5-flash",
      message: { role: "assistant", content: "Hello from the fake Gemini upstream." },
      finishReason: "stop",
      usage: {
        promptTokens: 40,
        completionTokens: 8 + 7,
        cachedTokens: 16,
        cacheWriteTokens: 0,
        reasoningTokens: 7,
      },
    });
  });

  it("reports no usage when Gemini sends no usageMetadata", async () => {
    upstream().queue.push({ kind: "ok", omitUsage: true });
    expect((await adapter.complete(hello, context())).usage).toBeUndefined();
  });

  it("round-trips parallel tool calls: functionCall → tool_calls → functionResponse", async () => {
    const first = await adapter.complete(
      {
        ...hello,
        messages: [{ role: "user", content: "Weather in Paris and Oslo?" }],
        tools: [weatherTool, timeTool],
      },
      context("gemini-3-flash-preview"),
    );
    expect(first.finishReason).toBe("tool_calls");
    const [paris, oslo] = first.message.tool_calls ?? [];
    expect(first.message).toEqual({
      role: "assistant",
      content: null,
      tool_calls: [
        { id: CALL_ID, type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: CALL_ID, type: "function", function: { name: "get_time", arguments: '{"city":"Oslo"}' } },
      ],
      // The thought signature Gemini put on the first call, as OpenRouter carries it: tied to that call's id.
      reasoning_details: [
        { type: "reasoning.encrypted", data: FAKE_SIGNATURE, id: paris?.id, format: "google-gemini-v1" },
      ],
    });
    const replay = async (assistant: ChatMessage) => {
      upstream().reset();
      const answer = await adapter.complete(
        {
          ...hello,
          tools: [weatherTool, timeTool],
          messages: [
            { role: "user", content: "Weather in Paris and Oslo?" },
            assistant,
            { role: "tool", tool_call_id: paris?.id as string, content: '{"temperature": 21}' },
            { role: "tool", tool_call_id: oslo?.id as string, content: "14:05" },
          ],
        },
        context("gemini-3-flash-preview"),
      );
      const contents = sentBody().contents as { parts: { thoughtSignature?: string }[] }[];
      return { answer, contents, signature: contents[1]?.parts[0]?.thoughtSignature };
    };
    // A client that keeps reasoning_details hands the real signature back.
    expect((await replay({ ...first.message, content: null })).signature).toBe(FAKE_SIGNATURE);
    // A plain OpenAI client drops it: Google's documented stand-in takes its place.
    const second = await replay({ role: "assistant", content: null, tool_calls: first.message.tool_calls });
    expect(second.answer).toMatchObject({
      message: { content: "It is sunny in Paris." },
      finishReason: "stop",
    });
    expect(second.contents.slice(1)).toEqual([
      {
        role: "model",
        parts: [
          // Gemini 3 needs a thought signature on the first replayed call; the client could not carry it back.
          {
            functionCall: { name: "get_weather", args: { city: "Paris" } },
            thoughtSignature: "skip_thought_signature_validator",
          },
          { functionCall: { name: "get_time", args: { city: "Oslo" } } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { temperature: 21 } } },
          { functionResponse: { name: "get_time", response: { output: "14:05" } } },
        ],
      },
    ]);
  });

  it("gives every synthesized tool call an id of its own, across turns too (Anthropic refuses repeated ids)", async () => {
    const ask = async () =>
      (await adapter.complete({ ...hello, tools: [weatherTool, timeTool] }, context())).message.tool_calls ??
      [];
    const ids = [...(await ask()), ...(await ask())].map((call) => call.id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
  });

  it("sends no thought signature to models before Gemini 3", async () => {
    const call = {
      id: "call_0",
      type: "function" as const,
      function: { name: "get_weather", arguments: '{"city":"Paris"}' },
    };
    await adapter.complete(
      {
        ...hello,
        messages: [
          { role: "user", content: "Weather?" },
          { role: "assistant", content: "Checking.", tool_calls: [call] },
          { role: "tool", tool_call_id: "call_0", content: "sunny" },
        ],
      },
      context("gemini-2.5-flash"),
    );
    expect((sentBody().contents as unknown[])[1]).toEqual({
      role: "model",
      parts: [{ text: "Checking." }, { functionCall: { name: "get_weather", args: { city: "Paris" } } }],
    });
  });

  it("truncates at maxOutputTokens with finish reason length", async () => {
    const completion = await adapter.complete({ ...hello, max_tokens: 2 }, context());
    expect(completion.message.content).toBe("Hello from ");
    expect(completion.finishReason).toBe("length");
  });

  it("maps Gemini finish reasons, blocked prompts included", async () => {
    expect(finishFromGemini("STOP", false)).toBe("stop");
    expect(finishFromGemini("STOP", true)).toBe("tool_calls");
    expect(finishFromGemini("MAX_TOKENS", false)).toBe("length");
    for (const reason of ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"]) {
      expect(finishFromGemini(reason, false)).toBe("content_filter");
    }
    for (const reason of ["MALFORMED_FUNCTION_CALL", "MALFORMED_RESPONSE", "MISSING_THOUGHT_SIGNATURE"]) {
      expect(finishFromGemini(reason, true)).toBe("error");
    }
    // OTHER ("unknown reason") is not a finished answer: a client told "stop" would take a cut-off answer as whole.
    expect(finishFromGemini("OTHER", false)).toBe("error");
    expect(finishFromGemini("OTHER", true)).toBe("error");
    expect(finishFromGemini("IMAGE_PROHIBITED_CONTENT", false)).toBe("content_filter");
    expect(finishFromGemini(undefined, false)).toBe("stop");
    upstream().queue.push({
      kind: "status",
      status: 200,
      body: {
        promptFeedback: { blockReason: "SAFETY" },
        usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
      },
    });
    const blocked = await adapter.complete(hello, context());
    expect(blocked).toMatchObject({
      message: { content: "" },
      finishReason: "content_filter",
      usage: { promptTokens: 9 },
    });
  });
});
