import { describe, expect, it } from "vitest";
import {
  apiKeyDisplayPrefix,
  generateApiKey,
  hashApiKey,
  isId,
  isWellFormedApiKey,
  JunctionError,
  newId,
} from "../src/index.js";

describe("ids", () => {
  it("are prefixed and sortable by time", () => {
    const a = newId("generation", 1_700_000_000_000);
    const b = newId("generation", 1_700_000_000_001);
    const c = newId("generation", 1_700_000_000_001);
    expect(a).toMatch(/^gen_[0-9a-z]{26}$/);
    expect(isId("generation", a)).toBe(true);
    expect(isId("organization", a)).toBe(false);
    expect([c, b, a].sort()).toEqual([a, b, c]);
  });
});

describe("api keys", () => {
  it("generates checksummed keys and hashes them", () => {
    const key = generateApiKey();
    expect(key).toMatch(/^jk_live_[0-9A-Za-z]{38}$/);
    expect(isWellFormedApiKey(key)).toBe(true);
    const typo = key.slice(0, 10) + (key[10] === "a" ? "b" : "a") + key.slice(11);
    expect(isWellFormedApiKey(typo)).toBe(false);
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(apiKeyDisplayPrefix(key)).toBe(`${key.slice(0, 12)}…${key.slice(-4)}`);
    expect(new Set(Array.from({ length: 50 }, generateApiKey)).size).toBe(50);
  });
});

describe("JunctionError", () => {
  it("carries code, status, param and metadata", () => {
    const error = new JunctionError("payment_required", "Insufficient credits", {
      metadata: { limit_source: "credits" },
    });
    expect(error.status).toBe(402);
    expect(error.toJSON()).toEqual({
      code: "payment_required",
      message: "Insufficient credits",
      metadata: { limit_source: "credits" },
    });
    expect(new JunctionError("bad_request", "x", { param: "model" }).param).toBe("model");
  });
});
