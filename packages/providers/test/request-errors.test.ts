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

/** An upstream's HTTP error as the transport builds it: its status, its body's message and code. */
const refused = (status: number, words: string, code?: string) =>
  new ProviderError("p", "http", `upstream returned ${status}: ${words}`, {
    status,
    ...(code !== undefined && { code }),
  });

describe("an account out of funds or quota", () => {
  const cases: [string, ProviderError][] = [
    [
      "OpenAI's 429 insufficient_quota",
      refused(
        429,
        "You exceeded your current quota, please check your plan and billing details.",
        "insufficient_quota",
      ),
    ],
    ["DeepSeek's 402", refused(402, "Insufficient Balance", "invalid_request_error")],
    [
      "Anthropic's 400",
      refused(
        400,
        "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
      ),
    ],
  ];

  it.each(cases)("is told apart from a rate limit or a bad request: %s", (_host, error) => {
    expect(error.outOfFunds).toBe(true);
    // Another provider may serve; this key's account will not, for a long while.
    expect(error.retryable).toBe(true);
    expect(error.keyRefused).toBe(true);
    expect(error.errorClass).toBe("quota_exhausted");
    expect(error.breakerSeconds).toBeGreaterThanOrEqual(300);
    expect(error.countsAgainstEndpoint(false)).toBe(true);
    expect(error.countsAgainstEndpoint(true)).toBe(false);
  });

  it("is recognized in an error sent with status 200 (OpenRouter's numeric 402, OpenAI's type)", () => {
    for (const error of [
      { code: 402, message: "Insufficient credits. Add more using https://openrouter.ai/credits" },
      { type: "insufficient_quota", code: "insufficient_quota", message: "You exceeded your current quota." },
    ]) {
      const inBody = errorInBody("p", error, "upstream stream error");
      expect(inBody).toMatchObject({ outOfFunds: true, retryable: true, errorClass: "quota_exhausted" });
    }
  });

  it("is not read into a rate limit", () => {
    const limited = refused(
      429,
      "Rate limit reached for gpt-4o on requests per min (RPM)",
      "rate_limit_exceeded",
    );
    expect(limited.outOfFunds).toBe(false);
    expect(limited.errorClass).toBe("http_429");
    expect(limited.breakerSeconds).toBeUndefined();
  });
});

describe("a request larger than the key's per-minute allowance at one host", () => {
  /** The status each host answers it with, and its words. */
  const overAllowance: [string, number, string][] = [
    [
      "Groq",
      413,
      "Request too large for model `llama-3.3-70b-versatile` in organization `org_01` service tier `on_demand` on tokens per minute (TPM): Limit 12000, Requested 14137, please reduce your message size and try again.",
    ],
    [
      "OpenAI",
      429,
      "Request too large for gpt-4o on tokens per min (TPM): Limit 30000, Requested 342389. The input or output tokens must be reduced in order to run successfully.",
    ],
  ];

  it.each(overAllowance)("may go to another host but opens no breaker (%s's %i)", (_host, status, words) => {
    const error = refused(status, words, "rate_limit_exceeded");
    expect(error.overKeyAllowance).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.countsAgainstEndpoint(false)).toBe(false);
    expect(error.countsAgainstEndpoint(true)).toBe(false);
  });

  it("a plain 413 (Anthropic's request_too_large) is the request's fault: not retried", () => {
    const error = refused(413, "Request exceeds the maximum allowed number of bytes.", "request_too_large");
    expect(error.overKeyAllowance).toBe(false);
    expect(error.retryable).toBe(false);
  });
});

describe("a model the host does not know (404)", () => {
  it.each([
    ["OpenAI", "The model `gpt-4o-mini` does not exist or you do not have access to it.", "model_not_found"],
    ["Anthropic", "model: claude-sonnet-4-5", undefined],
    ["Gemini", "models/gemini-2.5-pro is not found for API version v1beta.", undefined],
  ])(
    "another endpoint may serve it (%s); an organization's own key counts for no one else",
    (_host, words, code) => {
      const error = refused(404, words, code);
      expect(error.retryable).toBe(true);
      expect(error.countsAgainstEndpoint(false)).toBe(true);
      expect(error.countsAgainstEndpoint(true)).toBe(false);
    },
  );
});

describe("an input the host's moderation flagged (OpenRouter's 403)", () => {
  it("is the request's content, not a refused key: not retried, and no breaker counts it", () => {
    const error = refused(
      403,
      'openai/gpt-4o requires moderation on OpenAI. Your input was flagged for "harassment". No credits were charged.',
    );
    expect(error.contentFlagged).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.countsAgainstEndpoint(false)).toBe(false);
  });

  it("a 403 refusing the key is still the endpoint's", () => {
    const error = refused(403, "Your API key does not have permission to use the specified resource.");
    expect(error.contentFlagged).toBe(false);
    expect(error.retryable).toBe(true);
  });
});
