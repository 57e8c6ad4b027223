import { MAX_JSON_DEPTH } from "@junction/core";

/** Helpers for the JSON Schemas clients send (tool parameters, structured output). */
export type Schema = Record<string, unknown>;

export const isSchema = (value: unknown): value is Schema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Keywords whose values map names (a property's, say) to schemas: the names are not keywords. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "dependentSchemas"]);

/** Keywords whose values are data, not schemas: a `$ref` key inside them is not a reference. */
const DATA_KEYWORDS = new Set(["enum", "const", "default", "examples", "example"]);

/**
 * How many values inlining may produce. References can fan out (each level naming the one below twice is 2^depth
 * copies): past this, the request is not worth the work, and a small body must not cost seconds of CPU.
 */
const MAX_INLINED_NODES = 100_000;

class NotInlinable extends Error {}

/**
 * How many values `value` holds, itself included, counting no further than `limit + 1`. A keyword's data (an
 * `example` array, say) is shared, not copied, by each inlined copy, but the upstream body spells out every copy.
 */
export function valueCount(value: unknown, limit: number): number {
  if (typeof value !== "object" || value === null) return 1;
  let count = 1;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (count > limit) break;
    count += valueCount(item, limit - count);
  }
  return count;
}

/** What a local reference (`#/$defs/Name`, `#/definitions/Name`, any JSON pointer into the schema) points to. */
function resolvePointer(root: Schema, ref: string): Schema {
  if (!ref.startsWith("#")) throw new NotInlinable(`external reference ${ref}`);
  let node: unknown = root;
  for (const token of ref.slice(1).split("/").slice(1)) {
    let key: string;
    try {
      key = decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~");
    } catch {
      throw new NotInlinable(`reference ${ref} is not a valid pointer`);
    }
    node = isSchema(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  if (!isSchema(node)) throw new NotInlinable(`reference ${ref} points nowhere`);
  return node;
}

/**
 * The schema with every local `$ref` replaced by what it points to (keywords beside the reference kept), and its
 * definitions (`$defs`, `definitions`) dropped: what pydantic's and zod's nested models look like to a consumer that
 * does not follow references. Undefined when that cannot be done: a recursive type (it would never end), a reference
 * that points nowhere or outside the schema, or a result too large.
 */
export function inlineRefs(schema: Schema): Schema | undefined {
  let budget = MAX_INLINED_NODES;
  const walk = (node: unknown, resolving: ReadonlySet<string>, depth: number): unknown => {
    if (depth > MAX_JSON_DEPTH) throw new NotInlinable("too deep once inlined");
    if (--budget < 0) throw new NotInlinable("too large once inlined");
    if (Array.isArray(node)) return node.map((item) => walk(item, resolving, depth + 1));
    if (!isSchema(node)) return node;
    if (typeof node.$ref === "string") {
      const ref = node.$ref;
      if (resolving.has(ref)) throw new NotInlinable(`recursive reference ${ref}`);
      const { $ref: _ref, ...siblings } = node;
      return walk({ ...resolvePointer(schema, ref), ...siblings }, new Set(resolving).add(ref), depth);
    }
    const out: Schema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$defs" || key === "definitions") continue;
      if (SCHEMA_MAPS.has(key) && isSchema(value)) {
        const schemas: Schema = {};
        for (const [name, schema] of Object.entries(value))
          schemas[name] = walk(schema, resolving, depth + 2);
        out[key] = schemas;
        continue;
      }
      if (!DATA_KEYWORDS.has(key)) {
        out[key] = walk(value, resolving, depth + 1);
        continue;
      }
      budget -= valueCount(value, budget);
      if (budget < 0) throw new NotInlinable("too large once inlined");
      out[key] = value;
    }
    return out;
  };
  try {
    return walk(schema, new Set(), 0) as Schema;
  } catch (error) {
    if (error instanceof NotInlinable) return undefined;
    throw error;
  }
}
