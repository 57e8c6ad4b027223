import { describe, expect, it } from "vitest";
import { errorInBody, ProviderError } from "../src/errors.js";

/** What hosts answer (status, and the words after "upstream returned N: ") to a prompt longer than the context. */
const tooLong: [string, number, string][] = [
  [
    "OpenAI",
    400,
    "This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens.",
  ],
  ["Anthropic", 400, "prompt is too long: 210118 tokens > 200000 maximum"],
  [
    "Anthropic, with max_tokens",
    400,
    "input length and `max_tokens` exceed context limit: 198000 + 8192 > 200000",
  ],
  [
    "OpenRouter",
    400,
    "This endpoint's maximum context length is 131072 tokens. However, you requested about 140000 tokens",
  ],
  [
    "Mistral",
    400,
    "Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length",
  ],
  ["xAI", 400, "This model's maximum prompt length is 131072 but the request contains 150000 tokens."],
  ["Gemini", 400, "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."],
];

describe("a prompt longer than the model's context", () => {
  it.each(tooLong)("is recognized in %s's words", (_host, status, words) => {
    const error = new ProviderError("p", "http", `upstream returned ${status}: ${words}`, { status });
    expect(error.contextLengthExceeded).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it("is recognized by OpenAI's code whatever the words (Groq's, Cerebras')", () => {
    const error = new ProviderError(
      "p",
      "http",
      "upstream returned 400: Please reduce the length of the messages.",
      {
        status: 400,
        code: "context_length_exceeded",
      },
    );
    expect(error.contextLengthExceeded).toBe(true);
    const inBody = errorInBody(
      "p",
      {
        type: "invalid_request_error",
        code: "context_length_exceeded",
        message: "Please reduce the length.",
      },
      "upstream stream error",
    );
    expect(inBody.contextLengthExceeded).toBe(true);
  });

  it("is not read into other failures: a rate limit, a server error, another request error", () => {
    const cases: [number, string][] = [
      [429, "Request too large for model on tokens per minute (TPM): Limit 6000, Requested 9000"],
      [500, "The server had an error processing the context length check"],
      [400, "Invalid image URL: unable to download the image."],
    ];
    for (const [status, words] of cases)
      expect(
        new ProviderError("p", "http", `upstream returned ${status}: ${words}`, { status })
          .contextLengthExceeded,
      ).toBe(false);
  });
});
