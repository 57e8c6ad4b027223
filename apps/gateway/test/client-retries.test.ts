import type { ServerResponse } from "node:http";
import { JunctionError } from "@junction/core";
import { ProviderError } from "@junction/providers";
import { describe, expect, it } from "vitest";
import { type ErrorFormat, sendError, toJunctionError } from "../src/http.js";

/**
 * What the official openai and @anthropic-ai/sdk clients are told about retrying an error: they obey
 * `x-should-retry` over the status (else they retry 408/409/429/5xx), and wait `retry-after-ms` before `retry-after`.
 */
function headersFor(error: unknown, format: ErrorFormat = "openai"): Record<string, unknown> {
  let sent: Record<string, unknown> = {};
  const response = {
    headersSent: false,
    writeHead(_status: number, headers: Record<string, unknown>) {
      sent = headers;
      return this;
    },
    end() {
      return this;
    },
  } as unknown as ServerResponse;
  sendError(response, toJunctionError(error), format);
  return sent;
}

const upstreamFailure = (status: number, message: string, code?: string) =>
  new ProviderError("openai", "http", message, { status, ...(code !== undefined && { code }) });

describe("retry advice to the SDKs", () => {
  it("an upstream account out of funds (a 502) is not retried: nobody tops it up in seconds", () => {
    const quota = upstreamFailure(429, "You exceeded your current quota", "insufficient_quota");
    for (const format of ["openai", "anthropic"] as const) {
      expect(headersFor(quota, format)["x-should-retry"]).toBe("false");
    }
  });

  it("the total timeout passed (a 504) is not retried: it would run, and be paid for, all over again", () => {
    const timeout = new ProviderError(
      "openai",
      "timeout",
      "upstream did not finish within the total timeout",
      {
        timeoutPhase: "total",
      },
    );
    expect(headersFor(timeout, "anthropic")["x-should-retry"]).toBe("false");
  });

  it("an open breaker's 503 is retried after its Retry-After, to the millisecond", () => {
    const open = new JunctionError("service_unavailable", "Every endpoint ... is temporarily unavailable", {
      metadata: { retry_after_seconds: 7 },
    });
    for (const format of ["openai", "anthropic"] as const) {
      expect(headersFor(open, format)).toMatchObject({
        "x-should-retry": "true",
        "retry-after": "7",
        "retry-after-ms": "7000",
      });
    }
  });

  it("a wait longer than the SDKs honour (60 s) is not retried in their own seconds", () => {
    const held = new JunctionError("service_unavailable", "Every endpoint ... is temporarily unavailable", {
      metadata: { retry_after_seconds: 1800 },
    });
    expect(headersFor(held)).toMatchObject({ "x-should-retry": "false", "retry-after": "1800" });
  });

  it("a first-byte timeout or an upstream 500 keeps the SDKs' default (retried)", () => {
    const firstByte = new ProviderError("openai", "timeout", "no first byte", { timeoutPhase: "first_byte" });
    expect(headersFor(firstByte)["x-should-retry"]).toBeUndefined();
    expect(headersFor(upstreamFailure(500, "oops"))["x-should-retry"]).toBeUndefined();
  });
});
