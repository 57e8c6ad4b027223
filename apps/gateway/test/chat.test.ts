import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generationRow, type Harness, resetUpstreams, startHarness } from "./harness.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => resetUpstreams(harness));

const weatherTools = [
  {
    type: "function" as const,
    function: {
      name: "get_weather",
      description: "Weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
  {
    type: "function" as const,
    function: { name: "get_time", parameters: { type: "object", properties: { city: { type: "string" } } } },
  },
];

describe("POST /v1/chat/completions with the openai SDK", () => {
  it("answers from the sandbox with usage, exact cost, model and provider", async () => {
    const { data, response } = await harness
      .openai()
      .chat.completions.create({
        model: "sandbox/junction-small",
        messages: [{ role: "user", content: "Hi there" }],
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toContain('You said: "Hi there"');
    expect(data.model).toBe("sandbox/junction-small");
    expect((data as unknown as { provider: string }).provider).toBe("Junction Sandbox");
    const usage = data.usage as unknown as Record<string, unknown> & {
      cost: number;
      cost_details: { total_nano_usd: string };
    };
    expect(usage.prompt_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeGreaterThan(10);
    expect(usage.is_byok).toBe(false);
    const generationId = response.headers.get("x-junction-generation-id") as string;
    expect(generationId).toMatch(/^gen_/);
    const row = await generationRow(harness, generationId);
    expect(row.status).toBe("success");
    // $0.10/M input, $0.40/M output, rounded once.
    const expected =
      (BigInt(row.promptTokens) * 100_000_000n + BigInt(row.completionTokens) * 400_000_000n + 500_000n) /
      1_000_000n;
    expect(row.cost).toBe(expected);
    expect(usage.cost_details.total_nano_usd).toBe(expected.toString());
  });

  it("streams with the usage chunk last, and costs exactly what the same request costs unstreamed", async () => {
    const client = harness.openai();
    const request = {
      model: "sandbox/junction-small",
      messages: [{ role: "user" as const, content: "Stream me" }],
    };
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text).toContain('You said: "Stream me"');
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === "stop")).toBe(true);
    const buffered = await client.chat.completions.create(request);
    expect(buffered.choices[0]?.message.content).toBe(text);
    expect(buffered.usage).toEqual(last?.usage);
  });

  it("proxies OpenAI, never forwarding the Junction key, with cached tokens priced", async () => {
    const data = await harness.openai().chat.completions.create({
      model: "openai/gpt-4o-mini",
      messages: [
        { role: "system", content: "Be brief" },
        { role: "user", content: "Hello" },
      ],
      temperature: 0.2,
      seed: 7,
      max_tokens: 50,
      // Stored completions would keep the tenant's conversation in the platform's OpenAI account: not sent.
      store: true,
      metadata: { team: "search" },
    });
    expect(data.choices[0]?.message.content).toBe("Hello from the fake OpenAI upstream.");
    expect((data as unknown as { provider: string }).provider).toBe("OpenAI");
    const upstream = harness.openaiUpstream.requests[0];
    expect(upstream?.headers.authorization).toBe("Bearer sk-upstream-openai-secret");
    expect(JSON.stringify(upstream)).not.toContain(harness.tenant.apiKey);
    // OpenAI's own API gets the limit by the name all its models take (its reasoning models refuse max_tokens).
    expect(upstream?.body).toMatchObject({
      model: "gpt-4o-mini",
      temperature: 0.2,
      seed: 7,
      max_completion_tokens: 50,
    });
    expect(upstream?.body).not.toHaveProperty("max_tokens");
    expect(upstream?.body).not.toHaveProperty("store");
    expect(upstream?.body).not.toHaveProperty("metadata");
    // 16 uncached × $0.15/M + 5 cached × $0.075/M + 9 × $0.60/M = 2400 + 375 + 5400 nano
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(5);
    expect(
      (data.usage as unknown as { cost_details: { total_nano_usd: string } }).cost_details.total_nano_usd,
    ).toBe("8175");
  });

  it("returns OpenAI's token logprobs, streamed or not, and answers without them where a host has none", async () => {
    const ask = { model: "openai/gpt-4o-mini", messages: [{ role: "user" as const, content: "Hi" }] };
    const data = await harness.openai().chat.completions.create({ ...ask, logprobs: true, top_logprobs: 2 });
    expect(harness.openaiUpstream.requests.at(-1)?.body).toMatchObject({ logprobs: true, top_logprobs: 2 });
    const content = data.choices[0]?.logprobs?.content ?? [];
    expect(content.map((entry) => entry.token).join("")).toBe(data.choices[0]?.message.content);
    expect(content[0]?.top_logprobs).toHaveLength(2);

    const stream = await harness.openai().chat.completions.create({
      ...ask,
      logprobs: true,
      top_logprobs: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    const streamed: typeof content = [];
    let usage: unknown;
    for await (const chunk of stream) {
      streamed.push(...(chunk.choices[0]?.logprobs?.content ?? []));
      if (chunk.usage) usage = chunk.usage;
    }
    expect(streamed).toEqual(content);
    expect(usage).toEqual(data.usage);

    // OpenAI's reasoning models refuse logprobs: they are not sent, and the answer has none.
    const reasoner = await harness
      .openai()
      .chat.completions.create({ ...ask, model: "openai/gpt-5", logprobs: true, top_logprobs: 2 });
    expect(harness.openaiUpstream.requests.at(-1)?.body).not.toHaveProperty("logprobs");
    expect(harness.openaiUpstream.requests.at(-1)?.body).not.toHaveProperty("top_logprobs");
    expect(reasoner.choices[0]?.logprobs).toBeNull();

    // Not asked for: the shortcut for plain chunks stays, and the answer has none.
    const plain = await harness.openai().chat.completions.create(ask);
    expect(plain.choices[0]?.logprobs).toBeNull();
    // The sandbox returns none (as a host without them does): the request is answered, not refused…
    const sandbox = await harness
      .openai()
      .chat.completions.create({ ...ask, model: "sandbox/junction-small", logprobs: true });
    expect(sandbox.choices[0]?.logprobs).toBeNull();
    // …unless the client requires every parameter it sent (OpenRouter's provider.require_parameters).
    const required = harness.openai().chat.completions.create({
      ...ask,
      model: "sandbox/junction-small",
      logprobs: true,
      provider: { require_parameters: true },
    } as typeof ask);
    await expect(required).rejects.toMatchObject({
      status: 400,
      param: "logprobs",
      message: expect.stringContaining("does not take logprobs (require_parameters)"),
    });
  });

  it("streams parallel tool calls with argument deltas", async () => {
    const stream = await harness.openai().chat.completions.create({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "Weather and time in Paris and Oslo?" }],
      tools: weatherTools,
      stream: true,
    });
    const calls: Record<number, { id?: string; name: string; arguments: string }> = {};
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        const entry = calls[call.index] ?? { name: "", arguments: "" };
        calls[call.index] = entry;
        if (call.id) entry.id = call.id;
        entry.name += call.function?.name ?? "";
        entry.arguments += call.function?.arguments ?? "";
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe("tool_calls");
    expect(Object.values(calls)).toEqual([
      { id: "call_fake_0", name: "get_weather", arguments: '{"city":"Paris"}' },
      { id: "call_fake_1", name: "get_time", arguments: '{"city":"Oslo"}' },
    ]);
  });

  it("gives the sandbox's tools and JSON modes real shapes", async () => {
    const client = harness.openai();
    const tools = await client.chat.completions.create({
      model: "sandbox/junction-small",
      messages: [{ role: "user", content: "Weather?" }],
      tools: weatherTools,
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });
    expect(tools.choices[0]?.finish_reason).toBe("tool_calls");
    const call = tools.choices[0]?.message.tool_calls?.[0] as {
      function: { name: string; arguments: string };
    };
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toEqual({ city: "Paris" });
    // A function without parameters is called with an empty object, as providers send it.
    const bare = await client.chat.completions.create({
      model: "sandbox/junction-small",
      messages: [{ role: "user", content: "Ping?" }],
      tools: [{ type: "function", function: { name: "ping" } }],
    });
    expect(bare.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { name: "ping", arguments: "{}" },
    });
    // Parallel calls carry ids of their own, unique across responses as a provider's are.
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const parallel = await client.chat.completions.create({
        model: "sandbox/junction-small",
        messages: [{ role: "user", content: "Weather?" }],
        tools: weatherTools,
      });
      ids.push(...(parallel.choices[0]?.message.tool_calls ?? []).map((call) => call.id));
    }
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);

    const json = await client.chat.completions.create({
      model: "sandbox/junction-small",
      messages: [{ role: "user", content: "A person" }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "person",
          schema: { type: "object", properties: { name: { type: "string" }, age: { type: "integer" } } },
        },
      },
    });
    expect(JSON.parse(json.choices[0]?.message.content ?? "")).toEqual({ name: "sample name", age: 42 });
  });

  it("gives Claude a JSON schema as its structured output (constrained), which the SDK's parse() reads", async () => {
    const schema = {
      type: "object",
      properties: { greeting: { type: "string" } },
      required: ["greeting"],
      additionalProperties: false,
    };
    harness.anthropicUpstream.queue.push({ kind: "ok", text: '{"greeting":"Hello"}' });
    const parsed = await harness.openai().chat.completions.parse({
      model: "anthropic/claude-sonnet-4-5",
      messages: [{ role: "user", content: "Greet me" }],
      response_format: { type: "json_schema", json_schema: { name: "greeting", schema, strict: true } },
    });
    expect(parsed.choices[0]?.message.parsed).toEqual({ greeting: "Hello" });
    const sent = harness.anthropicUpstream.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent.output_config).toEqual({ format: { type: "json_schema", schema } });
    expect(sent).not.toHaveProperty("system");
  });

  it("gives Claude 4.5 an OpenAI strict function as a strict tool (references inlined); older Claude gets it unconstrained", async () => {
    // What the openai SDK's zodFunction() sends for a nested model: strict, with the nested part as a reference.
    const parameters = {
      type: "object",
      properties: { place: { $ref: "#/$defs/place" } },
      required: ["place"],
      additionalProperties: false,
      $defs: {
        place: {
          type: "object",
          properties: { city: { type: "string" } },
          required: ["city"],
          additionalProperties: false,
        },
      },
    };
    const tools = [
      { type: "function" as const, function: { name: "get_weather", parameters, strict: true } },
    ];
    const ask = (model: string) =>
      harness.openai().chat.completions.create({
        model,
        messages: [{ role: "user", content: "Weather in Paris?" }],
        tools,
      });
    const sent = () => (harness.anthropicUpstream.requests.at(-1)?.body.tools as unknown[] | undefined)?.[0];
    await ask("anthropic/claude-sonnet-4-5");
    expect(sent()).toEqual({
      name: "get_weather",
      strict: true,
      input_schema: {
        type: "object",
        properties: { place: parameters.$defs.place },
        required: ["place"],
        additionalProperties: false,
      },
    });
    await ask("anthropic/claude-opus-4-1");
    expect(sent()).toEqual({ name: "get_weather", input_schema: parameters });
  });

  it("tells Claude to call one tool at a time (parallel_tool_calls: false), with or without a tool_choice", async () => {
    const ask = (extra: Record<string, unknown>) =>
      harness.openai().chat.completions.create({
        model: "anthropic/claude-sonnet-4-5",
        messages: [{ role: "user", content: "Weather and time in Paris?" }],
        tools: weatherTools,
        parallel_tool_calls: false,
        ...extra,
      });
    const sent = () => harness.anthropicUpstream.requests.at(-1)?.body;
    await ask({});
    expect(sent()).toMatchObject({ tool_choice: { type: "auto", disable_parallel_tool_use: true } });
    await ask({ tool_choice: "required" });
    expect(sent()).toMatchObject({ tool_choice: { type: "any", disable_parallel_tool_use: true } });
    // Not calling tools at all: the tools still go, as Anthropic's `none`.
    const none = await ask({ tool_choice: "none" });
    expect(sent()).toMatchObject({
      tool_choice: { type: "none" },
      tools: [{ name: "get_weather" }, { name: "get_time" }],
    });
    expect(none.choices[0]?.finish_reason).toBe("stop");
  });

  it("refuses logit_bias for models that cannot honour it, by name, rather than dropping it", async () => {
    const client = harness.openai();
    const hello = [{ role: "user" as const, content: "Yes or no?" }];
    for (const [extra, param] of [[{ logit_bias: { "9642": 100 } }, "logit_bias"]] as const) {
      for (const model of ["anthropic/claude-sonnet-4-5", "sandbox/junction-small"]) {
        const refused = await client.chat.completions
          .create({ model, messages: hello, ...extra } as never)
          .catch((error: unknown) => error);
        expect(refused, `${model} ${param}`).toMatchObject({
          status: 400,
          error: { param, message: expect.stringContaining(`does not take ${param}`) },
        });
      }
    }
    expect(harness.anthropicUpstream.requests).toHaveLength(0);
    // OpenAI takes them; a fallback list goes past the models that cannot.
    const biased = await client.chat.completions.create({
      model: "anthropic/claude-sonnet-4-5",
      models: ["anthropic/claude-sonnet-4-5", "openai/gpt-4o-mini"],
      messages: hello,
      logit_bias: { "9642": 100 },
    } as never);
    expect(biased.model).toBe("openai/gpt-4o-mini");
    expect(harness.openaiUpstream.requests.at(-1)?.body).toMatchObject({ logit_bias: { "9642": 100 } });
    // An empty bias asks nothing.
    await client.chat.completions.create({
      model: "anthropic/claude-sonnet-4-5",
      messages: hello,
      logit_bias: {},
    });
    expect(harness.anthropicUpstream.requests).toHaveLength(1);
  });

  it("translates OpenAI-format requests to Anthropic models, keeping tools and cache usage", async () => {
    const data = await harness.openai().chat.completions.create({
      model: "anthropic/claude-sonnet-4-5",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Weather in Paris?" },
      ],
      tools: weatherTools.slice(0, 1),
      max_tokens: 300,
    });
    const upstream = harness.anthropicUpstream.requests[0];
    expect(upstream?.headers["x-api-key"]).toBe("sk-ant-upstream-secret");
    expect(upstream?.body).toMatchObject({
      model: "claude-sonnet-4-5",
      system: "You are terse.",
      max_tokens: 300,
      tools: [{ name: "get_weather", input_schema: { type: "object" } }],
    });
    expect(data.choices[0]?.finish_reason).toBe("tool_calls");
    expect(data.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      id: "toolu_fake01",
      function: { name: "get_weather", arguments: '{"city":"Paris"}' },
    });
    // input 12 + cache read 100 + cache write 20 = 132 prompt tokens, 100 of them cached.
    expect(data.usage).toMatchObject({
      prompt_tokens: 132,
      completion_tokens: 15,
      prompt_tokens_details: { cached_tokens: 100 },
    });
  });
});
