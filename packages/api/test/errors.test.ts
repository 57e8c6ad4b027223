import { JunctionError } from "@junction/core";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { describe, expect, it } from "vitest";
import { errorData, toTRPCError } from "../src/errors";

describe("JunctionError → TRPCError", () => {
  it("keeps the HTTP status of every domain code", () => {
    const codes = [
      "bad_request",
      "unauthorized",
      "payment_required",
      "forbidden",
      "not_found",
      "conflict",
      "payload_too_large",
      "rate_limited",
      "upstream_error",
      "upstream_timeout",
      "internal_error",
      "service_unavailable",
    ] as const;
    for (const code of codes) {
      const domain = new JunctionError(code, `failed: ${code}`);
      const mapped = toTRPCError(domain);
      expect(getHTTPStatusCodeFromError(mapped)).toBe(domain.status);
      expect(mapped.message).toBe(`failed: ${code}`);
      expect(errorData(mapped).data.junctionCode).toBe(code);
    }
  });

  it("hides the message of unexpected internal errors, keeps domain messages and field hints", () => {
    const leaky = new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      cause: new Error("connect ECONNREFUSED 10.0.0.5:5432"),
    });
    expect(errorData(leaky).message).toBe("Something went wrong on our side. Please try again.");
    const field = toTRPCError(new JunctionError("conflict", "Email taken", { param: "email" }));
    expect(errorData(field)).toEqual({
      message: null,
      data: { junctionCode: "conflict", param: "email", fieldErrors: { email: ["Email taken"] } },
    });
  });
});
