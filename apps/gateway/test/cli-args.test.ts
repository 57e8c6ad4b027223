import { describe, expect, it } from "vitest";
import { cliErrorMessage, parseUsdAmount, withNegativeNumbers } from "../src/cli-args.js";

describe("the CLI's amounts", () => {
  it("parses USD exactly, never through a float", () => {
    expect(parseUsdAmount("0.1", "x", "positive")).toBe(100_000_000n);
    expect(parseUsdAmount("0.3", "x", "positive")).toBe(300_000_000n); // 0.1 + 0.2 ≠ 0.3 in floats
    expect(parseUsdAmount("1e3", "x", "positive")).toBe(1_000_000_000_000n);
    expect(parseUsdAmount("0.000000001", "x", "positive")).toBe(1n);
    expect(parseUsdAmount("-2.5", "x", "any")).toBe(-2_500_000_000n);
    expect(parseUsdAmount("1000000000", "x", "positive")).toBe(10n ** 18n);
  });

  it("takes amounts written with nothing before or after the point, as `withNegativeNumbers` lets `-.5` through", () => {
    expect(parseUsdAmount(".5", "x", "positive")).toBe(500_000_000n);
    expect(parseUsdAmount("-.5", "x", "any")).toBe(-500_000_000n);
    expect(parseUsdAmount("5.", "x", "positive")).toBe(5_000_000_000n);
    expect(parseUsdAmount("5.e2", "x", "positive")).toBe(500_000_000_000n);
    for (const text of [".", "-.", ".e3", "5..", "..5"])
      expect(() => parseUsdAmount(text, "x", "any")).toThrow(/must be an amount in USD/);
    expect(() => parseUsdAmount("1e-10", "x", "any")).toThrow("x is finer than 1e-9 USD");
    expect(() => parseUsdAmount("-.0000000001", "x", "any")).toThrow("x is finer than 1e-9 USD");
  });

  it("refuses what is not an amount, finer than a nano-USD, of the wrong sign or out of range, in one line", () => {
    const refused = (text: string, sign: "positive" | "non-negative" | "any" = "any") => {
      try {
        parseUsdAmount(text, "--credit", sign);
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    };
    expect(refused("NaN")).toBe('--credit must be an amount in USD such as 12.50: "NaN"');
    expect(refused("Infinity")).toMatch(/must be an amount in USD/);
    expect(refused("$5")).toMatch(/must be an amount in USD/);
    expect(refused("1,000")).toMatch(/must be an amount in USD/);
    expect(refused("0.0000000001")).toBe('--credit is finer than 1e-9 USD (one nano-USD): "0.0000000001"');
    expect(refused("-1", "non-negative")).toBe('--credit must not be negative: "-1"');
    expect(refused("0", "positive")).toBe('--credit must be more than 0: "0"');
    expect(refused("0")).toBe("--credit must not be 0");
    expect(refused("1000000000.000000001")).toMatch(/out of range \(at most 1000000000 USD\)/);
    expect(refused("1e30")).toMatch(/out of range/);
    expect(refused("-1e30")).toMatch(/out of range/);
    const started = Date.now();
    expect(refused("1e99999999")).toMatch(/out of range/); // refused before building the number
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe("the CLI's command line", () => {
  const strings = new Set(["org", "limit", "credit"]);
  it("takes a negative amount as a positional or as an option's value, as written", () => {
    expect(withNegativeNumbers(["credit", "add", "--org", "org_1", "-5"], strings)).toEqual([
      "credit",
      "add",
      "--org",
      "org_1",
      "--",
      "-5",
    ]);
    expect(withNegativeNumbers(["key", "create", "--limit", "-.5"], strings)).toEqual([
      "key",
      "create",
      "--limit=-.5",
    ]);
    expect(withNegativeNumbers(["credit", "add", "--", "-5"], strings)).toEqual([
      "credit",
      "add",
      "--",
      "-5",
    ]);
    expect(withNegativeNumbers(["org", "list", "-h"], strings)).toEqual(["org", "list", "-h"]);
  });

  it("reports Prisma's and zod's errors in one line, without source excerpts", () => {
    const prisma = new Error(
      "\nInvalid `db.apiKey.create()` invocation in\n/src/cli.ts:74:35\n\n  71 const reset = …\n→ 74 const created = await db.apiKey.create(\nForeign key constraint violated on the constraint: `ApiKey_organizationId_fkey`",
    );
    prisma.name = "PrismaClientKnownRequestError";
    expect(cliErrorMessage(prisma)).toBe(
      "Foreign key constraint violated on the constraint: `ApiKey_organizationId_fkey`",
    );
    const zod = Object.assign(new Error("[{…}]"), {
      issues: [{ path: ["allowModels"], message: "Invalid input: expected array, received number" }],
    });
    expect(cliErrorMessage(zod)).toBe("`allowModels` Invalid input: expected array, received number");
  });
});
