import { gatewayUrl } from "@/lib/env";

/** The parts of an OpenAPI 3.1 document the docs page renders (everything else is ignored). */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  description?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  examples?: unknown[];
  minimum?: number;
  maximum?: number;
};
export type Parameter = {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
};
export type MediaTypes = Record<string, { schema?: Schema }>;
export type Response = {
  description?: string;
  headers?: Record<string, { description?: string; schema?: Schema }>;
  content?: MediaTypes;
};
export type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, unknown>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; description?: string; content?: MediaTypes };
  responses?: Record<string, Response>;
};
export type OpenApiDocument = {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string };
  servers?: { url: string }[];
  security?: Record<string, unknown>[];
  paths?: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, Schema>;
    securitySchemes?: Record<string, { type?: string; scheme?: string; in?: string; name?: string }>;
  };
};

export const HTTP_METHODS = ["get", "post", "put", "patch", "delete", "head", "options"] as const;

export type LoadedSpec =
  | { ok: true; spec: OpenApiDocument; source: string }
  | { ok: false; source: string; reason: string };

const TIMEOUT_MS = 3_000;

/**
 * The gateway's OpenAPI document, fetched at request time from GATEWAY_URL (apps never import each other). A
 * gateway that is down, slow or answers something else yields a reason instead of an exception.
 */
export async function loadGatewaySpec(): Promise<LoadedSpec> {
  let source = "the gateway";
  try {
    source = `${gatewayUrl()}/openapi.json`;
    const response = await fetch(source, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      cache: "no-store",
      headers: { accept: "application/json" },
    });
    if (!response.ok) return { ok: false, source, reason: `The gateway answered HTTP ${response.status}.` };
    const spec = (await response.json()) as OpenApiDocument;
    if (!spec || typeof spec !== "object" || typeof spec.paths !== "object" || spec.paths === null) {
      return { ok: false, source, reason: "The gateway's answer is not an OpenAPI document." };
    }
    return { ok: true, spec, source };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      ok: false,
      source,
      reason: timedOut
        ? `The gateway did not answer within ${TIMEOUT_MS / 1000} seconds.`
        : "The gateway could not be reached.",
    };
  }
}

export type DocOperation = { id: string; method: string; path: string; operation: Operation };
export type DocGroup = { id: string; name: string; operations: DocOperation[] };

export const slug = (value: string): string =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

/** The group of an operation: its first tag, else the first path segment after /v1 ("Operations" outside /v1). */
function groupName(path: string, operation: Operation): string {
  const tag = operation.tags?.[0];
  if (tag) return tag;
  const segments = path.split("/").filter(Boolean);
  if (segments[0] !== "v1" || !segments[1]) return "Operations";
  const word = segments[1].replace(/[-_]+/g, " ");
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Operations grouped in document order, each with a stable anchor id ("post-v1-chat-completions"). */
export function groupOperations(spec: OpenApiDocument): DocGroup[] {
  const groups = new Map<string, DocGroup>();
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    if (!item || typeof item !== "object") continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation || typeof operation !== "object") continue;
      const name = groupName(path, operation);
      let group = groups.get(name);
      if (!group) {
        group = { id: `group-${slug(name)}`, name, operations: [] };
        groups.set(name, group);
      }
      group.operations.push({ id: slug(`${method} ${path}`), method, path, operation });
    }
  }
  return [...groups.values()];
}

/** "#/components/schemas/Model" → "Model". */
export const refName = (ref: string): string => ref.split("/").at(-1) ?? ref;

/** Follows one `$ref` into components.schemas (the document's own schemas only). */
export function resolve(spec: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  return spec.components?.schemas?.[refName(schema.$ref)];
}

/** A short type label: "string", "integer ≥ 1", "Model[]", "string | array", "any". */
export function typeLabel(schema: Schema | undefined): string {
  if (!schema) return "any";
  if (schema.$ref) return refName(schema.$ref);
  const union = schema.oneOf ?? schema.anyOf;
  if (union?.length) return union.map(typeLabel).join(" | ");
  if (schema.allOf?.length) return schema.allOf.map(typeLabel).join(" & ");
  if (schema.enum?.length) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (!types.length) return schema.properties ? "object" : "any";
  return types.map((type) => (type === "array" ? `${typeLabel(schema.items)}[]` : type)).join(" | ");
}

/** Bounds and examples as a short note ("0 – 2", "e.g. "openai/gpt-4o-mini""). */
export function constraintNote(schema: Schema | undefined): string | undefined {
  if (!schema) return undefined;
  const notes: string[] = [];
  if (schema.minimum !== undefined && schema.maximum !== undefined)
    notes.push(`${schema.minimum} – ${schema.maximum}`);
  else if (schema.minimum !== undefined) notes.push(`≥ ${schema.minimum}`);
  else if (schema.maximum !== undefined) notes.push(`≤ ${schema.maximum}`);
  const example = schema.examples?.[0];
  if (example !== undefined)
    notes.push(`e.g. ${typeof example === "string" ? example : JSON.stringify(example)}`);
  return notes.length ? notes.join(" · ") : undefined;
}
