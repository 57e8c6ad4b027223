import { describe, expect, it } from "vitest";
import { inlineRefs } from "../src/json-schema.js";

describe("inlineRefs", () => {
  it("replaces $defs and definitions references and JSON pointers, keeping the keywords beside them", () => {
    const schema = {
      type: "object",
      definitions: { Tag: { type: "string", enum: ["a", "b"] } },
      $defs: { Item: { type: "object", properties: { tag: { $ref: "#/definitions/Tag" } } } },
      properties: {
        item: { $ref: "#/$defs/Item", description: "one" },
        items: { type: "array", items: { $ref: "#/$defs/Item" } },
        again: { $ref: "#/properties/items" },
        // A default is data: a "$ref" key inside it is not followed.
        note: { type: "object", default: { $ref: "#/nowhere" } },
      },
    };
    const item = { type: "object", properties: { tag: { type: "string", enum: ["a", "b"] } } };
    expect(inlineRefs(schema)).toEqual({
      type: "object",
      properties: {
        item: { ...item, description: "one" },
        items: { type: "array", items: item },
        again: { type: "array", items: item },
        note: { type: "object", default: { $ref: "#/nowhere" } },
      },
    });
  });

  it("reads property names as names, not keywords (a field called definitions, default or enum)", () => {
    const schema = {
      $defs: { Term: { type: "string" } },
      type: "object",
      properties: {
        definitions: { type: "array", items: { $ref: "#/$defs/Term" } },
        default: { $ref: "#/$defs/Term" },
        enum: { $ref: "#/$defs/Term", description: "a field" },
      },
      required: ["definitions", "default", "enum"],
    };
    expect(inlineRefs(schema)).toEqual({
      type: "object",
      properties: {
        definitions: { type: "array", items: { type: "string" } },
        default: { type: "string" },
        enum: { type: "string", description: "a field" },
      },
      required: ["definitions", "default", "enum"],
    });
  });

  it("leaves the schema it was given as it was", () => {
    const schema = { $defs: { A: { type: "string" } }, properties: { a: { $ref: "#/$defs/A" } } };
    const copy = structuredClone(schema);
    inlineRefs(schema);
    expect(schema).toEqual(copy);
  });

  it("gives up on recursive, dangling and external references", () => {
    const tree = {
      $defs: {
        Node: {
          type: "object",
          properties: { children: { type: "array", items: { $ref: "#/$defs/Node" } } },
        },
      },
      $ref: "#/$defs/Node",
    };
    expect(inlineRefs(tree)).toBeUndefined();
    expect(inlineRefs({ properties: { a: { $ref: "#/$defs/Missing" } } })).toBeUndefined();
    expect(inlineRefs({ properties: { a: { $ref: "https://example.com/schema.json" } } })).toBeUndefined();
  });

  it("gives up when inlining nests deeper than a request may", () => {
    // A chain of 1,000 definitions, each the one below wrapped in an array.
    const $defs: Record<string, unknown> = { L0: { type: "string" } };
    for (let level = 1; level <= 1_000; level++)
      $defs[`L${level}`] = { type: "array", items: { $ref: `#/$defs/L${level - 1}` } };
    expect(inlineRefs({ $defs, $ref: "#/$defs/L1000" })).toBeUndefined();
  });

  it("gives up on pointers that are not valid percent-encoding", () => {
    expect(inlineRefs({ properties: { a: { $ref: "#/%E0" } } })).toBeUndefined();
  });

  it("counts the data each copy spells out: a shared example array referenced thousands of times is too large", () => {
    const A = { type: "string", example: Array.from({ length: 10_000 }, (_, index) => index) };
    const properties = Object.fromEntries(
      Array.from({ length: 1_000 }, (_, index) => [`p${index}`, { $ref: "#/$defs/A" }]),
    );
    expect(inlineRefs({ $defs: { A }, type: "object", properties })).toBeUndefined();
    // Referenced a few times, it is inlined.
    expect(
      inlineRefs({ $defs: { A }, type: "object", properties: { a: { $ref: "#/$defs/A" } } }),
    ).toMatchObject({
      properties: { a: { example: A.example } },
    });
  });

  it("gives up when inlining fans out beyond a sane size", () => {
    // Each level refers to the one below twice: 2^20 copies inlined.
    const $defs: Record<string, unknown> = { L0: { type: "string", description: "x".repeat(10) } };
    for (let level = 1; level <= 20; level++)
      $defs[`L${level}`] = {
        type: "object",
        properties: { a: { $ref: `#/$defs/L${level - 1}` }, b: { $ref: `#/$defs/L${level - 1}` } },
      };
    expect(inlineRefs({ $defs, $ref: "#/$defs/L20" })).toBeUndefined();
  });
});
