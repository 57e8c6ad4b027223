import { usdToNano } from "@junction/core";
import type { GenerationRecord } from "@junction/db";
import {
  createTestTenant,
  type FakeBehavior,
  type FakeUpstream,
  startFakeGemini,
  type TestTenant,
} from "@junction/testing";
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

/**
 * The money promise, cell by cell: every client route × every upstream × streamed and not. In each cell the row's
 * cost is what the response reports, what the hand computation from the catalog's prices gives (BigInt, rounded
 * once half-up), and the same streamed as buffered; the row's tokens are what the upstream reported. A client that
 * goes away mid-stream leaves an 'aborted' row billed no more than the whole answer.
 */

const GEMINI_KEY = "AIzaSyUpstreamGeminiSecret000000000000000";

let gemini: FakeUpstream;
let harness: Harness;
let tenant: TestTenant;
beforeAll(async () => {
  gemini = await startFakeGemini();
  // The sandbox streams slowly enough for a client to leave mid-answer (~50 tokens: a tenth of a second).
  harness = await startHarness(() => ({
    GEMINI_API_KEY: GEMINI_KEY,
    GEMINI_BASE_URL: gemini.url,
    SANDBOX_TOKENS_PER_SECOND: "500",
  }));
  // Long-context cells cost over a dollar each: a tenant with room for all of them.
  tenant = await createTestTenant(harness.database.db, { creditNano: 100_000_000_000n });
});
afterAll(async () => {
  await harness.close();
  await gemini.close();
});

/** A request's tokens as the product defines them: prompt includes cache reads and writes, completion reasoning. */
type Tokens = Pick<
  GenerationRecord,
  | "promptTokens"
  | "completionTokens"
  | "cachedTokens"
  | "cacheWriteTokens"
  | "cacheWrite1hTokens"
  | "reasoningTokens"
>;
const tokens = (fields: Partial<Tokens>): Tokens => ({
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 0,
  ...fields,
});

type RouteName = "chat" | "messages" | "responses";
type Upstream = "openai" | "anthropic" | "gemini" | "sandbox";

type Scenario = {
  name: string;
  model: string;
  upstream: Upstream;
  /** Asks the model to think: reasoning effort, Anthropic's thinking. */
  reasoning?: boolean;
  /** A cache breakpoint on the system prompt (the Responses API has none to carry). */
  cacheTtl?: "5m" | "1h";
  /** What the fake is told to report with its next answer. */
  script?: Extract<FakeBehavior, { kind: "ok" }>;
  /** What the fake reports, in the product's terms; the sandbox counts its own (checked between paths). */
  reported?: Tokens;
  routes?: RouteName[];
};

// The fakes' reports: OpenAI 21 prompt (5 cached) + 9 output; Anthropic 12 uncached + 100 read + 20 written,
// 8 output (thinking included, which Anthropic does not report apart); Gemini 40 prompt (16 cached), 8 candidates
// + 7 thoughts.
const scenarios: Scenario[] = [
  {
    name: "OpenAI gpt-4o-mini, cached prompt",
    model: "openai/gpt-4o-mini",
    upstream: "openai",
    reported: tokens({ promptTokens: 21, completionTokens: 9, cachedTokens: 5 }),
  },
  {
    name: "OpenAI o4-mini, reasoning tokens",
    model: "openai/o4-mini",
    upstream: "openai",
    reasoning: true,
    script: { kind: "ok", reasoningTokens: 64 },
    reported: tokens({ promptTokens: 21, completionTokens: 73, cachedTokens: 5, reasoningTokens: 64 }),
  },
  {
    name: "Anthropic claude-sonnet-4-5, thinking, cache read + 5-minute write",
    model: "anthropic/claude-sonnet-4-5",
    upstream: "anthropic",
    reasoning: true,
    cacheTtl: "5m",
    reported: tokens({ promptTokens: 132, completionTokens: 8, cachedTokens: 100, cacheWriteTokens: 20 }),
  },
  {
    name: "Anthropic claude-sonnet-4-5, cache read + 1-hour write",
    model: "anthropic/claude-sonnet-4-5",
    upstream: "anthropic",
    cacheTtl: "1h",
    reported: tokens({
      promptTokens: 132,
      completionTokens: 8,
      cachedTokens: 100,
      cacheWriteTokens: 20,
      cacheWrite1hTokens: 20,
    }),
    routes: ["chat", "messages"],
  },
  {
    name: "Anthropic claude-sonnet-4-5, long-context tier",
    model: "anthropic/claude-sonnet-4-5",
    upstream: "anthropic",
    script: { kind: "ok", promptTokens: 199_950 },
    reported: tokens({
      promptTokens: 200_070,
      completionTokens: 8,
      cachedTokens: 100,
      cacheWriteTokens: 20,
    }),
  },
  {
    name: "Gemini 2.5 Flash, thoughts and cached content",
    model: "google/gemini-2.5-flash",
    upstream: "gemini",
    reasoning: true,
    reported: tokens({ promptTokens: 40, completionTokens: 15, cachedTokens: 16, reasoningTokens: 7 }),
  },
  {
    name: "OpenAI o4-mini reporting no usage (counted)",
    model: "openai/o4-mini",
    upstream: "openai",
    reasoning: true,
    script: { kind: "ok", omitUsage: true, reasoning: "Thinking about a greeting first." },
  },
  {
    name: "Gemini 2.5 Flash reporting no usage (counted)",
    model: "google/gemini-2.5-flash",
    upstream: "gemini",
    reasoning: true,
    script: { kind: "ok", omitUsage: true },
  },
  {
    name: "sandbox, reasoning",
    model: "sandbox/junction-small",
    upstream: "sandbox",
    reasoning: true,
  },
];

const SYSTEM = "Be brief.";
const PROMPT = "Say hello.";
const MAX_TOKENS = 4000;

/** The system prompt, with the scenario's cache breakpoint (the same block in OpenAI's and Anthropic's formats). */
const system = (scenario: Scenario) =>
  scenario.cacheTtl
    ? [
        {
          type: "text",
          text: SYSTEM,
          cache_control: {
            type: "ephemeral",
            ...(scenario.cacheTtl === "1h" && { ttl: "1h" }),
          },
        },
      ]
    : SYSTEM;

/** What one response says it cost and used, in the product's terms (only the token fields its format carries). */
type Reported = { generationId: string; costUsd: number; totalNanoUsd?: bigint; tokens: Partial<Tokens> };

/** What the OpenAI-shaped answers (Chat Completions, Responses) add to their usage: the cost, exactly. */
type Priced<T> = T & { cost: number; cost_details: { total_nano_usd: string } };
type CacheDetails = { cached_tokens: number; cache_write_tokens: number };
type ChatUsage = Priced<{
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details: CacheDetails;
  completion_tokens_details: { reasoning_tokens: number };
}>;
type ResponsesUsage = Priced<{ input_tokens: number; output_tokens: number }> & {
  input_tokens_details: CacheDetails;
  output_tokens_details: { reasoning_tokens: number };
};
type AnthropicUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  cache_creation: { ephemeral_1h_input_tokens: number };
  cost: number;
};

const fromChatUsage = (generationId: string, usage: ChatUsage): Reported => ({
  generationId,
  costUsd: usage.cost,
  totalNanoUsd: BigInt(usage.cost_details.total_nano_usd),
  tokens: {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    cachedTokens: usage.prompt_tokens_details.cached_tokens,
    cacheWriteTokens: usage.prompt_tokens_details.cache_write_tokens,
    reasoningTokens: usage.completion_tokens_details.reasoning_tokens,
  },
});
// Response ids are `resp_` and message ids `msg_` followed by the generation id's body.
// The Responses API's usage is Chat Completions' under other names.
const fromResponsesUsage = (responseId: string, usage: ResponsesUsage): Reported =>
  fromChatUsage(`gen_${responseId.slice("resp_".length)}`, {
    ...usage,
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    prompt_tokens_details: usage.input_tokens_details,
    completion_tokens_details: usage.output_tokens_details,
  });
const fromAnthropicUsage = (messageId: string, usage: AnthropicUsage): Reported => ({
  generationId: `gen_${messageId.slice("msg_".length)}`,
  costUsd: usage.cost,
  tokens: {
    promptTokens: usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens,
    completionTokens: usage.output_tokens,
    cachedTokens: usage.cache_read_input_tokens,
    cacheWriteTokens: usage.cache_creation_input_tokens,
    cacheWrite1hTokens: usage.cache_creation.ephemeral_1h_input_tokens,
  },
});

type Body = Record<string, unknown>;
type Route = {
  path: string;
  body: (scenario: Scenario) => Body;
  /** Sends the body through the route's official SDK, streamed or not, and reads what the answer reports. */
  send: (body: Body, stream: boolean) => Promise<Reported>;
};

const routes: Record<RouteName, Route> = {
  chat: {
    path: "/v1/chat/completions",
    body: (scenario) => ({
      model: scenario.model,
      max_tokens: MAX_TOKENS,
      messages: [
        { role: "system", content: system(scenario) },
        { role: "user", content: PROMPT },
      ],
      ...(scenario.reasoning && { reasoning_effort: "medium" }),
    }),
    async send(body, stream) {
      const client = harness.openai(tenant.apiKey).chat.completions;
      if (!stream) {
        const completion = await client.create(body as never);
        return fromChatUsage(completion.id, completion.usage as unknown as ChatUsage);
      }
      const chunks = await client.create({
        ...(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming),
        stream: true,
        stream_options: { include_usage: true },
      });
      let usage: ChatUsage | undefined;
      let id = "";
      for await (const chunk of chunks) {
        id = chunk.id;
        if (chunk.usage) usage = chunk.usage as unknown as ChatUsage;
      }
      return fromChatUsage(id, usage as ChatUsage);
    },
  },
  messages: {
    path: "/v1/messages",
    body: (scenario) => ({
      model: scenario.model,
      max_tokens: MAX_TOKENS,
      system: system(scenario),
      messages: [{ role: "user", content: PROMPT }],
      ...(scenario.reasoning && { thinking: { type: "enabled", budget_tokens: 2000 } }),
    }),
    async send(body, stream) {
      const client = harness.anthropic(tenant.apiKey).messages;
      if (!stream) {
        const message = await client.create(body as never);
        return fromAnthropicUsage(message.id, message.usage as unknown as AnthropicUsage);
      }
      // The SDK's final message keeps only the token counts of message_delta's usage: its cost is read off the event.
      const messages = client.stream(body as never);
      let usage: AnthropicUsage | undefined;
      messages.on("streamEvent", (event) => {
        if (event.type === "message_delta") usage = event.usage as unknown as AnthropicUsage;
      });
      const message = await messages.finalMessage();
      return fromAnthropicUsage(message.id, usage as AnthropicUsage);
    },
  },
  responses: {
    path: "/v1/responses",
    body: (scenario) => ({
      model: scenario.model,
      max_output_tokens: MAX_TOKENS,
      instructions: SYSTEM,
      input: PROMPT,
      ...(scenario.reasoning && { reasoning: { effort: "medium" } }),
    }),
    async send(body, stream) {
      const client = harness.openai(tenant.apiKey).responses;
      const response = stream
        ? await client.stream(body as never).finalResponse()
        : await client.create(body as never);
      return fromResponsesUsage(response.id, response.usage as unknown as ResponsesUsage);
    },
  },
};

const fakes = (): Record<Exclude<Upstream, "sandbox">, FakeUpstream> => ({
  openai: harness.openaiUpstream,
  anthropic: harness.anthropicUpstream,
  gemini,
});

/** Tells the scenario's fake what its next answer reports (and how slowly it streams). */
function script(scenario: Scenario, eventDelayMs?: number): void {
  if (scenario.upstream === "sandbox") return;
  const behavior = { kind: "ok" as const, ...scenario.script, ...(eventDelayMs && { eventDelayMs }) };
  fakes()[scenario.upstream].queue.push(behavior);
}

/** The generation's row once it is in Postgres (an aborted request's lands after the client has gone). */
async function settledRow(id: string) {
  for (let waited = 0; waited < 5_000; waited += 20) {
    await harness.gateway.idle();
    const row = await harness.database.db.generation.findUnique({ where: { id } });
    if (row) return row;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`generation ${id} was never recorded`);
}
type Row = Awaited<ReturnType<typeof settledRow>>;

const tokensOf = (row: Row): Tokens => ({
  promptTokens: row.promptTokens,
  completionTokens: row.completionTokens,
  cachedTokens: row.cachedTokens,
  cacheWriteTokens: row.cacheWriteTokens,
  cacheWrite1hTokens: row.cacheWrite1hTokens,
  reasoningTokens: row.reasoningTokens,
});

/**
 * The cost by hand from the endpoint's catalog prices (nano-USD per million tokens): each token class at its price
 * (the long-context tier's above its threshold; a missing cache price is the input price, a missing one-hour write
 * price the five-minute one), summed exactly and rounded once, half-up.
 */
async function handCost(endpointId: string, used: Tokens): Promise<bigint> {
  const price = await harness.database.db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
  const long = price.longContextAbove !== null && used.promptTokens > price.longContextAbove;
  const input = (long ? price.longInputPrice : price.inputPrice) ?? price.inputPrice;
  const output = (long ? price.longOutputPrice : price.outputPrice) ?? price.outputPrice;
  const cachedInput = (long ? price.longCachedInputPrice : price.cachedInputPrice) ?? input;
  const cacheWrite = (long ? price.longCacheWritePrice : price.cacheWritePrice) ?? input;
  const cacheWrite1h = (long ? price.longCacheWrite1hPrice : price.cacheWrite1hPrice) ?? cacheWrite;
  const uncached = used.promptTokens - used.cachedTokens - used.cacheWriteTokens;
  const microNano =
    BigInt(uncached) * input +
    BigInt(used.cachedTokens) * cachedInput +
    BigInt(used.cacheWriteTokens - used.cacheWrite1hTokens) * cacheWrite +
    BigInt(used.cacheWrite1hTokens) * cacheWrite1h +
    BigInt(used.completionTokens) * output +
    (price.requestPrice ?? 0n) * 1_000_000n;
  return (microNano + 500_000n) / 1_000_000n;
}

/** One request of a cell: its row, checked against what the response reported and the hand computation. */
async function billedCell(route: Route, scenario: Scenario, stream: boolean): Promise<Row> {
  script(scenario);
  const reported = await route.send(route.body(scenario), stream);
  const row = await settledRow(reported.generationId);
  const estimated = scenario.script?.omitUsage === true;
  expect(row).toMatchObject({
    status: "success",
    stream,
    usageEstimated: estimated,
    requestedModel: scenario.model,
  });
  // The response reports exactly the row's cost: as a USD number (decimal, nearest double) and in nano-USD.
  expect(usdToNano(String(reported.costUsd))).toBe(row.cost);
  if (reported.totalNanoUsd !== undefined) expect(reported.totalNanoUsd).toBe(row.cost);
  expect(tokensOf(row)).toMatchObject(reported.tokens);
  // The signed receipt carries the same figures.
  const { reasoningTokens: _, ...receiptTokens } = tokensOf(row);
  expect(row.receipt).toMatchObject({ cost: { totalNanoUsd: String(row.cost) }, usage: receiptTokens });
  if (scenario.reported) expect(tokensOf(row)).toEqual(scenario.reported);
  expect(row.cost).toBe(await handCost(row.endpointId as string, tokensOf(row)));
  return row;
}

const cells = (Object.keys(routes) as RouteName[]).flatMap((routeName) =>
  scenarios
    .filter((scenario) => scenario.routes?.includes(routeName) ?? true)
    .map((scenario) => ({ routeName, scenario, label: `${routeName} ← ${scenario.name}` })),
);

describe("the same request costs the same on every path", () => {
  it.each(cells)(
    "$label: streamed and buffered rows agree with the responses and the catalog",
    async ({ routeName, scenario }) => {
      const route = routes[routeName];
      const buffered = await billedCell(route, scenario, false);
      const streamed = await billedCell(route, scenario, true);
      expect(streamed.cost).toBe(buffered.cost);
      expect(tokensOf(streamed)).toEqual(tokensOf(buffered));
      if (scenario.reasoning && scenario.upstream !== "anthropic")
        expect(buffered.reasoningTokens).toBeGreaterThan(0);
      expect(buffered.cost).toBeGreaterThan(0n);
    },
  );
});

/** Streams the body with a plain fetch and goes away once the first bytes of the answer have arrived. */
async function abortedMidStream(route: Route, body: Body): Promise<Row> {
  const controller = new AbortController();
  const response = await fetch(`${harness.gateway.url}${route.path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${tenant.apiKey}`,
      "x-api-key": tenant.apiKey,
      "content-type": "application/json",
    },
    body: JSON.stringify({ ...body, stream: true }),
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const id = response.headers.get("x-junction-generation-id") as string;
  await response.body?.getReader().read();
  controller.abort();
  return settledRow(id);
}

// One cell per upstream and route (the cache TTL, the prompt's size and a missing report change nothing here).
const abortCells = cells.filter(
  ({ scenario }) =>
    scenario.cacheTtl !== "1h" && !scenario.script?.promptTokens && !scenario.script?.omitUsage,
);

describe("a client that leaves mid-stream", () => {
  it.each(abortCells)(
    "$label: leaves an 'aborted' row billed at most the whole answer",
    async ({ routeName, scenario }) => {
      const route = routes[routeName];
      const whole = await billedCell(route, scenario, true);
      script(scenario, 40);
      const aborted = await abortedMidStream(route, route.body(scenario));
      expect(aborted.status).toBe("aborted");
      expect(aborted.cost).toBeGreaterThan(0n);
      expect(aborted.cost).toBeLessThanOrEqual(whole.cost);
      expect(aborted.cost).toBe(await handCost(aborted.endpointId as string, tokensOf(aborted)));
    },
  );
});
