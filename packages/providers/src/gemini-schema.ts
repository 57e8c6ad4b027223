import { isSchema, type Schema, valueCount } from "./json-schema.js";

/**
 * Gemini's `parameters` and `responseSchema` take an OpenAPI 3.0 subset, not JSON Schema: unknown keywords such as
 * `additionalProperties` or `$schema` are a 400, `type` cannot be a list, `$ref` is not followed. This rewrites a
 * client's JSON Schema into that subset, keeping what Gemini understands and dropping what it would reject.
 */

/** Keywords Gemini's Schema object accepts as they are (everything else is rewritten below or dropped). */
const KEPT_KEYWORDS = new Set([
  "title",
  "description",
  "nullable",
  "maxItems",
  "minItems",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "default",
  "example",
  "propertyOrdering",
]);

/** String and number formats Gemini accepts; others (email, uri, uuid…) are rejected, so they are left out. */
const KEPT_FORMATS = new Set(["date-time", "enum", "int32", "int64", "float", "double"]);

const MAX_DEPTH = 32;
/**
 * Values converted or kept at most: references that fan out (2^depth copies) must not make a small body cost seconds
 * of CPU or gigabytes of upstream body.
 */
const MAX_NODES = 100_000;

/** The definitions references resolve against, and how many nodes the conversion may still produce. */
type Scope = { definitions: Record<string, Schema>; budget: number };

export function geminiSchema(schema: Schema): Schema {
  const definitions = { ...asSchemaMap(schema.definitions), ...asSchemaMap(schema.$defs) };
  return convert(schema, { definitions, budget: MAX_NODES }, new Set(), 0);
}

function asSchemaMap(value: unknown): Record<string, Schema> {
  if (!isSchema(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, Schema] => isSchema(entry[1])),
  );
}

function convert(input: Schema, scope: Scope, resolving: Set<string>, depth: number): Schema {
  // Too deep or too large: an open object from here down.
  if (depth > MAX_DEPTH || --scope.budget < 0) return { type: "object" };
  const recurse = (value: Schema) => convert(value, scope, resolving, depth + 1);

  const ref =
    typeof input.$ref === "string" ? input.$ref.replace(/^#\/(\$defs|definitions)\//, "") : undefined;
  if (ref !== undefined) {
    const target = scope.definitions[ref];
    // A recursive type cannot be inlined; Gemini gets an open object at the point of recursion.
    if (!target || resolving.has(ref)) return { type: "object" };
    const inner = new Set(resolving).add(ref);
    return convert({ ...target, ...withoutRef(input) }, scope, inner, depth + 1);
  }

  const output: Schema = {};
  for (const [key, value] of Object.entries(input)) {
    // Kept values (an `example` array) are shared by every inlined copy, and spelled out in the body each time.
    if (!KEPT_KEYWORDS.has(key)) continue;
    scope.budget -= valueCount(value, scope.budget);
    if (scope.budget >= 0) output[key] = value;
  }
  if (typeof input.format === "string" && KEPT_FORMATS.has(input.format)) output.format = input.format;

  const types = (Array.isArray(input.type) ? input.type : [input.type]).filter(
    (t): t is string => typeof t === "string",
  );
  const nonNull = types.filter((t) => t !== "null");
  if (types.includes("null")) output.nullable = true;
  if (nonNull.length === 1) output.type = nonNull[0];
  else if (nonNull.length > 1) output.anyOf = nonNull.map((type) => ({ type }));

  if ("const" in input) output.enum = [input.const];
  else if (Array.isArray(input.enum)) output.enum = input.enum.filter((value) => value !== null);
  if (Array.isArray(output.enum)) scope.budget -= output.enum.length;
  if (Array.isArray(output.enum)) {
    // Gemini's enum is a list of strings; other literal types are sent as their string form.
    output.enum = output.enum.map(String);
    output.type ??= "string";
  }

  if (isSchema(input.properties)) {
    const properties = Object.fromEntries(
      Object.entries(input.properties).flatMap(([name, value]) =>
        isSchema(value) ? [[name, recurse(value)]] : [],
      ),
    );
    output.properties = properties;
    output.type ??= "object";
    if (Array.isArray(input.required)) {
      output.required = input.required.filter(
        (name): name is string => typeof name === "string" && name in properties,
      );
    }
  }
  if (isSchema(input.items)) {
    output.items = recurse(input.items);
    output.type ??= "array";
  }

  const alternatives = [input.anyOf, input.oneOf].find(Array.isArray)?.filter(isSchema);
  if (alternatives?.length) {
    const nullable = alternatives.some((alternative) => alternative.type === "null");
    const rest = alternatives.filter((alternative) => alternative.type !== "null").map(recurse);
    if (nullable) output.nullable = true;
    if (rest.length === 1) Object.assign(output, rest[0]);
    else if (rest.length) output.anyOf = rest;
  }
  const allOf = Array.isArray(input.allOf) ? input.allOf.filter(isSchema) : [];
  for (const part of allOf) mergeInto(output, recurse(part));
  return output;
}

function withoutRef(schema: Schema): Schema {
  const { $ref: _ref, ...rest } = schema;
  return rest;
}

/** `allOf` has no Gemini equivalent; its parts are merged (properties and required lists combined). */
function mergeInto(target: Schema, part: Schema): void {
  for (const [key, value] of Object.entries(part)) {
    if (key === "properties" && isSchema(target.properties) && isSchema(value)) {
      target.properties = { ...target.properties, ...value };
    } else if (key === "required" && Array.isArray(target.required) && Array.isArray(value)) {
      target.required = [...new Set([...target.required, ...value])];
    } else {
      target[key] ??= value;
    }
  }
}

/** Function parameters: an object without properties is a 400 at Gemini, so such a function takes no schema. */
export function geminiParameters(parameters: Schema | undefined): Schema | undefined {
  if (!parameters) return undefined;
  const converted = geminiSchema(parameters);
  const properties = converted.properties;
  if (converted.type === "object" && (!isSchema(properties) || Object.keys(properties).length === 0))
    return undefined;
  return converted;
}
