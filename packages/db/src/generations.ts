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

type Column<T> = { name: string; cast?: string; value: (row: T) => unknown };

const json = (value: unknown) => JSON.stringify(value);
// `timestamp(3)` columns hold UTC wall-clock time (as Prisma writes them): an ISO string's "Z" is dropped by the cast.
const utc = (date: Date) => date.toISOString();

const GENERATION_COLUMNS: Column<GenerationRecord>[] = [
  { name: "id", value: (r) => r.id },
  { name: "organizationId", value: (r) => r.organizationId },
  { name: "apiKeyId", value: (r) => r.apiKeyId },
  { name: "requestedModel", value: (r) => r.requestedModel },
  { name: "servedModel", value: (r) => r.servedModel },
  { name: "providerId", value: (r) => r.providerId },
  { name: "endpointId", value: (r) => r.endpointId },
  { name: "apiFormat", value: (r) => r.apiFormat },
  { name: "route", value: (r) => r.route },
  { name: "stream", value: (r) => r.stream },
  { name: "status", cast: '"GenerationStatus"', value: (r) => r.status },
  { name: "finishReason", value: (r) => r.finishReason },
  { name: "errorCode", value: (r) => r.errorCode },
  { name: "errorMessage", value: (r) => r.errorMessage },
  { name: "httpStatus", cast: "int", value: (r) => r.httpStatus },
  { name: "promptTokens", cast: "int", value: (r) => r.promptTokens },
  { name: "completionTokens", cast: "int", value: (r) => r.completionTokens },
  { name: "cachedTokens", cast: "int", value: (r) => r.cachedTokens },
  { name: "cacheWriteTokens", cast: "int", value: (r) => r.cacheWriteTokens },
  { name: "reasoningTokens", cast: "int", value: (r) => r.reasoningTokens },
  { name: "usageEstimated", value: (r) => r.usageEstimated },
  { name: "cost", cast: "bigint", value: (r) => r.cost.toString() },
  { name: "isByok", value: (r) => r.isByok },
  { name: "requestHash", value: (r) => r.requestHash },
  { name: "responseHash", value: (r) => r.responseHash },
  { name: "attempts", cast: "jsonb", value: (r) => json(r.attempts) },
  { name: "latencyMs", cast: "int", value: (r) => r.latencyMs },
  { name: "timeToFirstTokenMs", cast: "int", value: (r) => r.timeToFirstTokenMs },
  { name: "upstreamLatencyMs", cast: "int", value: (r) => r.upstreamLatencyMs },
  { name: "policyId", value: (r) => r.policyId },
  { name: "policyVersionHash", value: (r) => r.policyVersionHash },
  { name: "priceTableVersion", cast: "int", value: (r) => r.priceTableVersion },
  { name: "receipt", cast: "jsonb", value: (r) => json(r.receipt) },
  { name: "signature", value: (r) => r.signature },
  { name: "createdAt", cast: "timestamp(3)", value: (r) => utc(r.createdAt) },
  { name: "completedAt", cast: "timestamp(3)", value: (r) => utc(r.completedAt) },
];

const BODY_COLUMNS: Column<GenerationBodyRecord>[] = [
  { name: "generationId", value: (r) => r.generationId },
  { name: "organizationId", value: (r) => r.organizationId },
  { name: "request", cast: "jsonb", value: (r) => json(r.request) },
  { name: "response", value: (r) => r.response },
  { name: "expiresAt", cast: "timestamp(3)", value: (r) => utc(r.expiresAt) },
];

/** `INSERT … VALUES (…), (…)` for `count` rows; statements are cached per size so only values vary. */
function insertStatement<T>(table: string, columns: Column<T>[]): (count: number) => string {
  const cache = new Map<number, string>();
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(", ")}) VALUES `;
  return (count) => {
    let text = cache.get(count);
    if (text) return text;
    const tuples: string[] = [];
    for (let row = 0; row < count; row++) {
      const base = row * columns.length;
      const cells = columns.map((c, i) => `$${base + i + 1}${c.cast ? `::${c.cast}` : ""}`);
      tuples.push(`(${cells.join(", ")})`);
    }
    text = head + tuples.join(", ");
    if (cache.size < 64) cache.set(count, text);
    return text;
  };
}

function values<T>(rows: T[], columns: Column<T>[]): unknown[] {
  const out = new Array<unknown>(rows.length * columns.length);
  let i = 0;
  for (const row of rows) for (const column of columns) out[i++] = column.value(row);
  return out;
}

/**
 * The gateway's write path for generation rows: plain multi-row INSERTs on a small pg pool, no ORM on the hot
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
        await client.query(this.generationsSql(rows.length), values(rows, GENERATION_COLUMNS));
        return;
      }
      await client.query("BEGIN");
      try {
        if (rows.length)
          await client.query(this.generationsSql(rows.length), values(rows, GENERATION_COLUMNS));
        await client.query(this.bodiesSql(bodies.length), values(bodies, BODY_COLUMNS));
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
