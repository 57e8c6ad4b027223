import { scrubSecrets } from "@junction/core";
import { describe, expect, it } from "vitest";
import { geminiParameters, geminiSchema } from "../src/index.js";

describe("geminiSchema (JSON Schema → Gemini's OpenAPI subset)", () => {
  it("drops keywords Gemini rejects, at every depth", () => {
    expect(
      geminiSchema({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        $id: "x",
        type: "object",
        additionalProperties: false,
        properties: {
          tags: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              properties: { id: { type: "string", format: "uuid" } },
            },
            minItems: 1,
          },
          at: { type: "string", format: "date-time", description: "When" },
        },
        required: ["tags", "missing"],
      }),
    ).toEqual({
      type: "object",
      properties: {
        tags: {
          type: "array",
          items: { type: "object", properties: { id: { type: "string" } } },
          minItems: 1,
        },
        at: { type: "string", format: "date-time", description: "When" },
      },
      required: ["tags"],
    });
  });

  it("turns type lists and null alternatives into nullable, const into enum, oneOf into anyOf", () => {
    expect(geminiSchema({ type: ["integer", "null"] })).toEqual({ type: "integer", nullable: true });
    expect(geminiSchema({ anyOf: [{ type: "string" }, { type: "null" }] })).toEqual({
      type: "string",
      nullable: true,
    });
    expect(geminiSchema({ const: "yes" })).toEqual({ type: "string", enum: ["yes"] });
    expect(geminiSchema({ oneOf: [{ type: "string" }, { type: "number" }] })).toEqual({
      anyOf: [{ type: "string" }, { type: "number" }],
    });
    expect(geminiSchema({ type: ["string", "number"] })).toEqual({
      anyOf: [{ type: "string" }, { type: "number" }],
    });
  });

  it("inlines $ref definitions and stops at recursion", () => {
    expect(
      geminiSchema({
        type: "object",
        properties: { home: { $ref: "#/$defs/Address" }, node: { $ref: "#/definitions/Node" } },
        $defs: { Address: { type: "object", properties: { city: { type: "string" } } } },
        definitions: { Node: { type: "object", properties: { next: { $ref: "#/definitions/Node" } } } },
      }),
    ).toEqual({
      type: "object",
      properties: {
        home: { type: "object", properties: { city: { type: "string" } } },
        node: { type: "object", properties: { next: { type: "object" } } },
      },
    });
  });

  it("stops inlining references that fan out (a small body must not cost seconds)", () => {
    // Each level refers to the one below twice: 2^24 strings if inlined in full.
    const $defs: Record<string, unknown> = { L0: { type: "string" } };
    for (let level = 1; level <= 24; level++)
      $defs[`L${level}`] = {
        type: "object",
        properties: { a: { $ref: `#/$defs/L${level - 1}` }, b: { $ref: `#/$defs/L${level - 1}` } },
      };
    const converted = geminiSchema({ $defs, $ref: "#/$defs/L24" });
    const text = JSON.stringify(converted);
    expect(text.length).toBeLessThan(5_000_000); // in full: gigabytes
    expect(text).toContain('{"type":"object"}'); // open objects where the budget ran out
  });

  it("keeps shared example data only while the budget lasts (every copy is spelled out in the body)", () => {
    const A = { type: "string", example: Array.from({ length: 10_000 }, (_, index) => index) };
    const properties = Object.fromEntries(
      Array.from({ length: 1_000 }, (_, index) => [`p${index}`, { $ref: "#/$defs/A" }]),
    );
    const text = JSON.stringify(geminiSchema({ $defs: { A }, type: "object", properties }));
    expect(text.length).toBeLessThan(2_000_000); // in full: ~50 MB
  });

  it("merges allOf parts", () => {
    expect(
      geminiSchema({
        allOf: [
          { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
          { properties: { b: { type: "number" } }, required: ["b"] },
        ],
      }),
    ).toEqual({
      type: "object",
      properties: { a: { type: "string" }, b: { type: "number" } },
      required: ["a", "b"],
    });
  });

  it("gives a function without properties no parameters", () => {
    expect(geminiParameters(undefined)).toBeUndefined();
    expect(geminiParameters({ type: "object", properties: {}, additionalProperties: false })).toBeUndefined();
    expect(geminiParameters({ type: "object", properties: { q: { type: "string" } } })).toEqual({
      type: "object",
      properties: { q: { type: "string" } },
    });
  });
});

it("redacts Google API keys", () => {
  const fakeKey = `AIza${"FakeGoogleKey".padEnd(35, "0")}`; // built at run time: not a real credential
  expect(scrubSecrets(`bad key ${fakeKey} here`)).toBe("bad key [redacted] here");
});
