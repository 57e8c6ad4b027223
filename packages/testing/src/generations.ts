import { newId } from "@junction/core";
import type { Db } from "@junction/db";

export type TestGenerationInput = {
  organizationId: string;
  apiKeyId?: string | null;
  model?: string;
  providerId?: string;
  cost: bigint;
  promptTokens?: number;
  completionTokens?: number;
  cachedTokens?: number;
  status?: "success" | "error" | "aborted" | "pending";
  createdAt?: Date;
};

function generationRow(input: TestGenerationInput) {
  const model = input.model ?? "sandbox/junction-small";
  return {
    id: newId("generation", input.createdAt?.getTime()),
    organizationId: input.organizationId,
    apiKeyId: input.apiKeyId ?? null,
    requestedModel: model,
    servedModel: model,
    providerId: input.providerId ?? "sandbox",
    apiFormat: "openai",
    route: "chat",
    status: input.status ?? "success",
    promptTokens: input.promptTokens ?? 10,
    completionTokens: input.completionTokens ?? 20,
    cachedTokens: input.cachedTokens ?? 0,
    cost: input.cost,
    createdAt: input.createdAt ?? new Date(),
  };
}

/** A settled generation row as the gateway writes it (not yet ingested by the worker). Returns its id. */
export async function createTestGeneration(db: Db, input: TestGenerationInput): Promise<string> {
  const row = generationRow(input);
  await db.generation.create({ data: row });
  return row.id;
}

/** Many generation rows in one insert (benchmarks, bulk tests). Returns their ids in input order. */
export async function createTestGenerations(db: Db, inputs: TestGenerationInput[]): Promise<string[]> {
  const rows = inputs.map(generationRow);
  await db.generation.createMany({ data: rows });
  return rows.map((row) => row.id);
}
