import type { GenerationBodyRecord, GenerationRecord, GenerationStore } from "@junction/db";
import type { Producers } from "@junction/queue";

type Pending = {
  row: GenerationRecord;
  body: GenerationBodyRecord | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
};

const MAX_BATCH = 500;

/**
 * Writes generation rows off the response path, in batches: everything settled in the same turn of the event loop
 * goes in one multi-row INSERT (and their usage jobs in one bulk enqueue). Under load, hundreds of requests share
 * one round trip. `pending(id)` lets a read on this instance wait for a row still on its way; `idle()` waits for
 * every write and the work chained after it (credit settlement), for shutdown and tests.
 */
export class GenerationWriter {
  private queue: Pending[] = [];
  private flushing = false;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly store: GenerationStore,
    private readonly producers: Producers,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  /** Resolves once the row (and its opted-in body) is in Postgres. */
  write(row: GenerationRecord, body?: GenerationBodyRecord): Promise<void> {
    const written = new Promise<void>((resolve, reject) => {
      this.queue.push({ row, body, resolve, reject });
      if (this.queue.length === 1 && !this.flushing) setImmediate(() => void this.flush());
    });
    this.inFlight.set(row.id, written);
    const forget = () => this.inFlight.delete(row.id);
    written.then(forget, forget);
    return written;
  }

  /** The write of a generation that is not in Postgres yet, if this instance is making it. */
  pending(id: string): Promise<void> | undefined {
    return this.inFlight.get(id);
  }

  /** Keeps track of work that runs after a response has ended, so `idle()` can wait for it. */
  track(work: Promise<unknown>): void {
    this.background.add(work);
    const forget = () => this.background.delete(work);
    work.then(forget, forget);
  }

  async idle(): Promise<void> {
    while (this.background.size || this.inFlight.size)
      await Promise.allSettled([...this.background, ...this.inFlight.values()]);
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.writeBatch(batch);
        // The worker turns rows into ledger debits and rollups; a lost job is found again by its sweep.
        const generationIds = batch.map(({ row }) => row.id);
        this.producers
          .enqueue("usage", { generationIds }, generationIds[0])
          .catch((error: unknown) => this.log("usage enqueue failed", error));
      }
    } finally {
      this.flushing = false;
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      await this.store.insert(
        batch.map(({ row }) => row),
        batch.flatMap(({ body }) => (body ? [body] : [])),
      );
      for (const item of batch) item.resolve();
    } catch (batchError) {
      // One bad row must not lose the others: fall back to one insert each.
      this.log(`batch of ${batch.length} generations failed; writing them one by one`, batchError);
      for (const item of batch) {
        try {
          await this.store.insert([item.row], item.body ? [item.body] : []);
          item.resolve();
        } catch (error) {
          item.reject(error);
        }
      }
    }
  }
}
