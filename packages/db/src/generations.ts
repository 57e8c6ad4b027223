import pg from "pg";
import type { Prisma } from "./generated/prisma/client.js";

/** One settled request, as the gateway records it (the `Generation` table; worker-owned columns excluded). */
export type GenerationRecord = {
  id: string;
  organizationId: string;
  apiKeyId: string | null;
  requestedModel: string;
  servedModel: string | null;
  providerId: string | null;
  endpointId: string | null;
  apiFormat: string;
  route: string;
  stream: boolean;
  status: "success" | "error" | "aborted";
  finishReason: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  reasoningTokens: number;
  usageEstimated: boolean;
  cost: bigint;
  isByok: boolean;
  requestHash: string | null;
  responseHash: string | null;
  attempts: Prisma.InputJsonValue;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  upstreamLatencyMs: number | null;
  policyId: string | null;
  policyVersionHash: string | null;
  priceTableVersion: number | null;
  receipt: Prisma.InputJsonValue;
  /** The receipt's canonical JSON when the caller has it already (it is stored instead of serializing `receipt`). */
  receiptJson?: string;
  signature: string;
  createdAt: Date;
  completedAt: Date;
};

/** An opted-in organization's request and response bodies (`GenerationBody`). */
export type GenerationBodyRecord = {
  generationId: string;
  organizationId: string;
  request: Prisma.InputJsonValue;
  response: string;
  expiresAt: Date;
};

/**
 * Rows travel as one JSON parameter per statement (`json_populate_recordset`): Postgres converts each field with
 * its column's own input function, so bigints (as strings), enums, jsonb and timestamps arrive exactly, and the
 * gateway serializes each row with one `JSON.stringify` instead of binding dozens of parameters per row.
 * `timestamp(3)` columns hold UTC wall-clock time (as Prisma writes them): the ISO string's "Z" is ignored.
 */
const GENERATION_COLUMNS = [
  "id",
  "organizationId",
  "apiKeyId",
  "requestedModel",
  "servedModel",
  "providerId",
  "endpointId",
  "apiFormat",
  "route",
  "stream",
  "status",
  "finishReason",
  "errorCode",
  "errorMessage",
  "httpStatus",
  "promptTokens",
  "completionTokens",
  "cachedTokens",
  "cacheWriteTokens",
  "cacheWrite1hTokens",
  "reasoningTokens",
  "usageEstimated",
  "cost",
  "isByok",
  "requestHash",
  "responseHash",
  "attempts",
  "latencyMs",
  "timeToFirstTokenMs",
  "upstreamLatencyMs",
  "policyId",
  "policyVersionHash",
  "priceTableVersion",
  "receipt",
  "signature",
  "createdAt",
  "completedAt",
] as const satisfies readonly (keyof GenerationRecord)[];

const BODY_COLUMNS = [
  "generationId",
  "organizationId",
  "request",
  "response",
  "expiresAt",
] as const satisfies readonly (keyof GenerationBodyRecord)[];

function insertStatement(table: string, columns: readonly string[]): string {
  const list = columns.map((column) => `"${column}"`).join(", ");
  return `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1::json)`;
}

const OPEN = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE = Buffer.from("]");

/**
 * A batch's JSON as UTF-8 bytes, each row encoded on its own. Joined into one string, a batch of a hundred rows
 * (~250 KB) passes V8's large-string size, where joining and then encoding it (pg measures and copies a string
 * parameter) cost ~15 µs a row instead of ~2. A Buffer parameter goes in binary format, which for `json` is the text.
 * Dates become ISO strings (their toJSON); the one bigint, `cost`, a decimal string. The receipt goes in as its
 * canonical JSON when the caller has that text already (the gateway signed it), instead of being serialized again.
 */
function generationsJson(rows: GenerationRecord[]): Buffer {
  const parts = [OPEN];
  for (const [index, row] of rows.entries()) {
    if (index) parts.push(COMMA);
    parts.push(Buffer.from(generationJson(row)));
  }
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

function generationJson(row: GenerationRecord): string {
  const text = storableJson(
    JSON.stringify({
      ...row,
      receipt: undefined,
      receiptJson: undefined,
      cost: row.cost.toString(),
    }),
  );
  // The receipt is stored as it was signed (the client text in it, the model name, is validated as storable).
  return `${text.slice(0, -1)},"receipt":${row.receiptJson ?? JSON.stringify(row.receipt)}}`;
}

/** One escape of JSON text: a surrogate pair, another `\uXXXX`, or a backslash and the character it escapes. */
const ESCAPE = /\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[\s\S])/g;

/**
 * Postgres refuses NUL and unpaired surrogates in text and jsonb, which would fail the whole row (and the request
 * would go unrecorded and unbilled): one a client sent (a message kept by prompt logging, an error quoting its input)
 * is stored as U+FFFD. One pass over the escapes, in order, so an escaped backslash is never read as an escape.
 */
function storableJson(json: string): string {
  if (!json.includes("\\u")) return json;
  return json.replace(ESCAPE, (sequence) => {
    if (sequence.length !== 6) return sequence; // a pair, or not a \u escape
    const code = Number.parseInt(sequence.slice(2), 16);
    return code === 0 || (code >= 0xd800 && code <= 0xdfff) ? "\\ufffd" : sequence;
  });
}

/**
 * The gateway's write path for generation rows: one INSERT per batch on a small pg pool, no ORM on the hot
 * path (Prisma's query compiler cost more CPU per row than the whole proxying). Readers keep using Prisma.
 */
export class GenerationStore {
  private readonly pool: pg.Pool;
  private readonly generationsSql = insertStatement("Generation", GENERATION_COLUMNS);
  private readonly bodiesSql = insertStatement("GenerationBody", BODY_COLUMNS);

  constructor(databaseUrl: string, options: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 4 });
    // An idle client's error (database restart) must not crash the process; the next query reconnects.
    this.pool.on("error", () => undefined);
  }

  /** Inserts generations and their opted-in bodies in one transaction (bodies reference nothing, rows first). */
  async insert(rows: GenerationRecord[], bodies: GenerationBodyRecord[] = []): Promise<void> {
    if (!rows.length && !bodies.length) return;
    const client = await this.pool.connect();
    try {
      if (!bodies.length) {
        await client.query(this.generationsSql, [generationsJson(rows)]);
        return;
      }
      await client.query("BEGIN");
      try {
        if (rows.length) await client.query(this.generationsSql, [generationsJson(rows)]);
        await client.query(this.bodiesSql, [storableJson(JSON.stringify(bodies))]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * The usage rollups' provider id for requests no provider answered (refused, or every attempt failed): $0 by
 * construction, so invoices leave them out.
 */
export const NO_PROVIDER = "none";
