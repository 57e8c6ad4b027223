import type { Db } from "@junction/db";
import { drainBacklog, type IngestOutcome, ingestGenerations } from "./ingest-usage.js";

type Waiting = { id: string; resolve: (outcome: IngestOutcome) => void; reject: (error: unknown) => void };

export type UsageBatcherOptions = {
  /** Most generations per statement. */
  maxBatch?: number;
  /** How long the first job of a batch waits for company. */
  lingerMs?: number;
  /** Statements in flight at once (each holds one pooled connection). */
  maxInFlight?: number;
  /**
   * After a batch that ingested something, also drain every other settled generation in bulk (at most once per
   * this many ms): under load, rows reach the rollups at the database's pace, not one BullMQ job at a time.
   * Their jobs then complete as cheap duplicates. 0 disables.
   */
  drainEveryMs?: number;
  onError?: (message: string, error: unknown) => void;
};

/**
 * Collects usage jobs handled concurrently by one BullMQ worker into multi-generation statements. Each job still
 * gets its own outcome (and a `pending` generation its own retry); exactly-once comes from the statement itself.
 */
export class UsageBatcher {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private readonly flushes = new Set<Promise<void>>();
  private draining: Promise<void> | undefined;
  private lastDrainAt = 0;
  private readonly maxBatch: number;
  private readonly lingerMs: number;
  private readonly maxInFlight: number;
  private readonly drainEveryMs: number;

  constructor(
    private readonly db: Db,
    private readonly options: UsageBatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.lingerMs = options.lingerMs ?? 5;
    this.maxInFlight = options.maxInFlight ?? 3;
    this.drainEveryMs = options.drainEveryMs ?? 250;
  }

  submit(generationId: string): Promise<IngestOutcome> {
    return new Promise<IngestOutcome>((resolve, reject) => {
      this.waiting.push({ id: generationId, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiting.length && this.inFlight < this.maxInFlight) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      const run = this.run(batch).finally(() => {
        this.inFlight--;
        this.flushes.delete(run);
        if (this.waiting.length) this.flush();
      });
      this.flushes.add(run);
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await ingestGenerations(
        this.db,
        batch.map((item) => item.id),
      );
      for (const item of batch) item.resolve(outcomes.get(item.id) ?? "missing");
      if ([...outcomes.values()].includes("ingested")) this.maybeDrain();
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }

  private maybeDrain(): void {
    if (!this.drainEveryMs || this.draining || Date.now() - this.lastDrainAt < this.drainEveryMs) return;
    this.lastDrainAt = Date.now();
    this.draining = drainBacklog(this.db, { limit: 2000, budgetMs: 5_000 })
      .then(
        () => undefined,
        (error: unknown) => this.options.onError?.("usage backlog drain failed", error),
      )
      .finally(() => {
        this.draining = undefined;
      });
  }

  /** Flushes what is waiting and waits for every statement in flight (graceful shutdown). */
  async close(): Promise<void> {
    this.flush();
    while (this.flushes.size || this.waiting.length) {
      await Promise.allSettled([...this.flushes]);
      this.flush();
    }
    await this.draining;
  }
}
