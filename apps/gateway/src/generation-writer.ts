import type { Db, Prisma } from "@junction/db";
import type { Producers } from "@junction/queue";

type Pending = {
  row: Prisma.GenerationCreateManyInput;
  body: Prisma.GenerationBodyCreateManyInput | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
};

const MAX_BATCH = 500;

/**
 * Writes generation rows in batches: everything settled in the same turn of the event loop goes in one multi-row
 * INSERT (and their usage jobs in one bulk enqueue). A single request still waits only for its own batch, so its
 * row exists before its response's last byte; under load, hundreds of requests share one round trip.
 */
export class GenerationWriter {
  private pending: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly db: Db,
    private readonly producers: Producers,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  write(row: Prisma.GenerationCreateManyInput, body?: Prisma.GenerationBodyCreateManyInput): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, body, resolve, reject });
      if (this.pending.length === 1 && !this.flushing) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, MAX_BATCH);
        await this.writeBatch(batch);
        // The worker turns rows into ledger debits and rollups; a lost job is found again by its sweep.
        this.producers
          .enqueueMany(
            "usage",
            batch.map(({ row }) => ({ payload: { generationId: row.id }, jobId: row.id })),
          )
          .catch((error: unknown) => this.log("usage enqueue failed", error));
      }
    } finally {
      this.flushing = false;
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      await this.db.generation.createMany({ data: batch.map(({ row }) => row) });
      const bodies = batch.flatMap(({ body }) => (body ? [body] : []));
      if (bodies.length) await this.db.generationBody.createMany({ data: bodies });
      for (const item of batch) item.resolve();
    } catch (batchError) {
      // One bad row must not lose the others: fall back to one insert each.
      this.log(`batch of ${batch.length} generations failed; writing them one by one`, batchError);
      for (const item of batch) {
        try {
          await this.db.generation.create({ data: item.row });
          if (item.body) await this.db.generationBody.create({ data: item.body });
          item.resolve();
        } catch (error) {
          item.reject(error);
        }
      }
    }
  }
}
