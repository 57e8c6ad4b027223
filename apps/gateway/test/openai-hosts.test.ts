import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { generationRow } from "./harness.js";
import { type Answer, data, json, scriptedHarness, written } from "./scripted-upstream.js";

/**
 * The OpenAI-compatible hosts as their real APIs answer, scripted byte for byte: DeepSeek (its own cache-hit usage
 * fields) and Mistral (a 422 for any field it does not know).
 */
const scripted = scriptedHarness((url) => ({
  DEEPSEEK_API_KEY: "sk-deepseek-upstream",
  DEEPSEEK_BASE_URL: `${url}/v1`,
  MISTRAL_API_KEY: "mistral-upstream",
  MISTRAL_BASE_URL: `${url}/v1`,
}));
const { answers } = scripted;
const client = () => scripted.harness.openai();
/** The generation row of the request a response answered. */
const rowOf = (response: Response) =>
  generationRow(scripted.harness, response.headers.get("x-junction-generation-id") as string);

const chunk = (delta: unknown, finish: string | null = null, extra: object = {}) =>
  data({
    id: "q",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  });
const hello = [{ role: "user" as const, content: "Hello" }];

async function streamedText(
  request: Parameters<ReturnType<typeof client>["chat"]["completions"]["create"]>[0],
) {
  const { data: stream, response } = await client()
    .chat.completions.create({ ...request, stream: true })
    .withResponse();
  let text = "";
  for await (const part of stream) text += part.choices[0]?.delta.content ?? "";
  const row = await rowOf(response);
  return { text, row };
}

describe("DeepSeek", () => {
  // DeepSeek's usage: cache reads as prompt_cache_hit_tokens (of prompt_tokens), at a tenth of the input price.
  const usage = {
    prompt_tokens: 10_000,
    completion_tokens: 5,
    total_tokens: 10_005,
    prompt_cache_hit_tokens: 9_600,
    prompt_cache_miss_tokens: 400,
  };

  it("bills cache hits at the cached price, the same streamed as not", async () => {
    answers.push(
      written([chunk({ content: "Hi" }), chunk({}, "stop", { usage }), "data: [DONE]\n\n"]),
      json({
        id: "q",
        model: "deepseek-chat",
        choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
        usage,
      }),
      json({
        id: "q",
        model: "deepseek-chat",
        choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
        usage: { ...usage, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 10_000 },
      }),
    );
    const stream = await streamedText({ model: "deepseek/deepseek-chat", messages: hello });
    const whole = [];
    for (let run = 0; run < 2; run++) {
      const { response } = await client()
        .chat.completions.create({ model: "deepseek/deepseek-chat", messages: hello })
        .withResponse();
      whole.push(await rowOf(response));
    }
    const [cached, uncached] = whole;
    expect(stream.row).toMatchObject({ providerId: "deepseek", promptTokens: 10_000, cachedTokens: 9_600 });
    expect(cached).toMatchObject({ cachedTokens: 9_600, usageEstimated: false });
    expect(stream.row.cost).toBe(cached?.cost);
    // 9,600 of 10,000 prompt tokens at a tenth of the price: well under half of the uncached prompt's cost.
    expect(uncached?.cachedTokens).toBe(0);
    expect((cached?.cost ?? 0n) * 2n).toBeLessThan(uncached?.cost ?? 0n);
  });
});

/** Mistral's API: any field it does not know is a 422 `extra_forbidden`; a tool call id must be 9 letters or digits. */
const mistral =
  (answer: Answer): Answer =>
  (response: ServerResponse, request: IncomingMessage, body: string) => {
    const sent = JSON.parse(body) as Record<string, unknown> & { messages: Record<string, unknown>[] };
    const known = [
      "model",
      "messages",
      "stream",
      "temperature",
      "top_p",
      "max_tokens",
      "random_seed",
      "tools",
    ];
    const extra = Object.keys(sent).find((field) => !known.includes(field));
    const badId = JSON.stringify(sent.messages).match(
      /"(?:tool_call_id|id)":"(?![a-zA-Z0-9]{9}")([^"]*)"/,
    )?.[1];
    if (extra || badId !== undefined) {
      response.writeHead(422, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          object: "error",
          message: extra
            ? {
                detail: [
                  { type: "extra_forbidden", loc: ["body", extra], msg: "Extra inputs are not permitted" },
                ],
              }
            : `Tool call id was ${badId} but must be a-z, A-Z, 0-9, with a length of 9.`,
          type: "invalid_request_error",
        }),
      );
      return;
    }
    return answer(response, request, body);
  };

describe("Mistral", () => {
  it("serves a streamed request with a seed, a user and a replayed tool call from another model", async () => {
    answers.push(
      mistral(
        written([
          chunk({ role: "assistant", content: "" }),
          chunk({ content: "Sunny in Paris." }),
          chunk({}, "stop", { usage: { prompt_tokens: 30, completion_tokens: 4, total_tokens: 34 } }),
          "data: [DONE]\n\n",
        ]),
      ),
    );
    const { text, row } = await streamedText({
      model: "mistralai/mistral-large-latest",
      seed: 7,
      user: "customer-1",
      max_completion_tokens: 100,
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_Qx81HkM2aBcD", type: "function", function: { name: "weather", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_Qx81HkM2aBcD", content: "Sunny" },
      ],
    });
    expect(text).toBe("Sunny in Paris.");
    expect(row).toMatchObject({
      status: "success",
      providerId: "mistral",
      promptTokens: 30,
      usageEstimated: false,
    });
  });

  it("a field Mistral refuses is named in the error the client gets, not an [object Object]", async () => {
    // A field of the client's own (Mistral's older name for safe_prompt) goes on as written, and Mistral refuses it.
    answers.push(mistral(written([])));
    const failure = await client()
      .chat.completions.create({
        model: "mistralai/mistral-large-latest",
        messages: hello,
        safe_mode: true,
      } as never)
      .catch((error: unknown) => error as { status: number; message: string });
    expect(failure).toMatchObject({ status: 400 });
    expect((failure as { message: string }).message).toContain("safe_mode");
    expect((failure as { message: string }).message).toContain("Extra inputs are not permitted");
  });

  it("is not sent logit_bias, which it refuses: the request is refused naming the field before Mistral is called", async () => {
    const failure = await client()
      .chat.completions.create({
        model: "mistralai/mistral-large-latest",
        messages: hello,
        logit_bias: { "1": -100 },
      })
      .catch((error: unknown) => error as { status: number; error: { param: string; message: string } });
    expect(failure).toMatchObject({ status: 400, error: { param: "logit_bias" } });
    expect((failure as { error: { message: string } }).error.message).toContain("does not take logit_bias");
  });
});
