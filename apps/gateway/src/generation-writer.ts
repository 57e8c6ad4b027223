import { canonicalJson, type Receipt, type ReceiptSigner } from "@junction/core";
import type { GenerationBodyRecord, GenerationRecord, GenerationStore } from "@junction/db";
import type { Producers } from "@junction/queue";

/** A generation row before signing: the writer signs each batch's receipts with one signature (Merkle root). */
export type UnsignedGeneration = Omit<GenerationRecord, "receipt" | "signature"> & { receipt: Receipt };

type Pending = {
  row: UnsignedGeneration;
  body: GenerationBodyRecord | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
};

const MAX_BATCH = 500;
/**
 * How long the first row of a batch waits for company. Responses never wait for the write, so this costs no
 * latency; at low request rates it still turns one INSERT, one signature and one job per request into one per batch.
 * A batch costs about as much CPU as a streamed request: at 90 requests/s, 25 ms made batches of two rows, 100 ms
 * makes them nine. A row (and its credit settlement) is still durable within a tenth of a second.
 */
const LINGER_MS = 100;

/**
 * Writes generation rows off the response path, in batches: everything settled within a few milliseconds is
 * signed together (one Ed25519 signature over the batch's Merkle root, a proof per receipt), goes in one
 * multi-row INSERT and one usage job. Under load, hundreds of requests share
 * one round trip. `pending(id)` lets a read on this instance wait for a row still on its way; `idle()` waits for
 * every write and the work chained after it (credit settlement), for shutdown and tests.
 */
export class GenerationWriter {
  private queue: Pending[] = [];
  private flushing = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly store: GenerationStore,
    private readonly signer: ReceiptSigner,
    private readonly producers: Producers,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  /** Resolves once the row (and its opted-in body) is in Postgres. */
  write(row: UnsignedGeneration, body?: GenerationBodyRecord): Promise<void> {
    const written = new Promise<void>((resolve, reject) => {
      this.queue.push({ row, body, resolve, reject });
      if (this.flushing) return;
      if (this.queue.length === 1) this.timer = setTimeout(() => void this.flush(), LINGER_MS);
      else if (this.queue.length >= MAX_BATCH) void this.flush();
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

  /** Waits for the writes and settlements under way now (not those that start later): read-your-writes. */
  async caughtUp(): Promise<void> {
    await Promise.allSettled([...this.background, ...this.inFlight.values()]);
  }

  async idle(): Promise<void> {
    while (this.background.size || this.inFlight.size) await this.caughtUp();
  }

  /**
   * Writes what is queued. Rows that arrive during a write wait for the next one: a full batch goes at once, a
   * smaller one lingers like a first row does (written straight after a fast INSERT, batches stay a few rows small
   * and each pays a signature, an INSERT and a job of its own).
   */
  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing) return;
    this.flushing = true;
    try {
      do {
        const batch = this.queue.splice(0, MAX_BATCH);
        if (!(await this.writeBatch(batch))) continue; // nothing was written: no job
        // The worker turns rows into ledger debits and rollups; a lost job is found again by its sweep.
        const generationIds = batch.map(({ row }) => row.id);
        this.producers
          .enqueue("usage", { generationIds }, generationIds[0])
          .catch((error: unknown) => this.log("usage enqueue failed", error));
      } while (this.queue.length >= MAX_BATCH);
    } finally {
      this.flushing = false;
      if (this.queue.length) this.timer = setTimeout(() => void this.flush(), LINGER_MS);
    }
  }

  /** Signs and inserts a batch; false when it could not be signed (its writes are rejected, nothing is written). */
  private async writeBatch(batch: Pending[]): Promise<boolean> {
    let rows: GenerationRecord[];
    try {
      // Each receipt is serialized once: the text that is signed is the text that is stored.
      const texts = batch.map(({ row }) => canonicalJson(row.receipt));
      const signatures = this.signer.signBatchJson(texts);
      // Completed in place (the writer owns a row once written): copying every field per row cost more than the rest.
      rows = batch.map(({ row }, index) =>
        Object.assign(row, { signature: signatures[index] as string, receiptJson: texts[index] }),
      );
    } catch (error) {
      // Nothing to write without signatures; every waiter hears of it (none is left hanging).
      for (const item of batch) item.reject(error);
      return false;
    }
    try {
      await this.store.insert(
        rows,
        batch.flatMap(({ body }) => (body ? [body] : [])),
      );
      for (const item of batch) item.resolve();
    } catch (batchError) {
      // One bad row must not lose the others: fall back to one insert each.
      this.log(`batch of ${batch.length} generations failed; writing them one by one`, batchError);
      for (const [index, item] of batch.entries()) {
        const row = rows[index] as GenerationRecord;
        try {
          await this.store.insert([row], item.body ? [item.body] : []);
          item.resolve();
        } catch (error) {
          if (!item.body) {
            item.reject(error);
            continue;
          }
          // The opted-in body is the extra; the row (what bills the request) must not be lost with it.
          this.log(`the body of generation ${row.id} could not be kept`, error);
          await this.store.insert([row]).then(item.resolve, item.reject);
        }
      }
    }
    return true;
  }
}
