import { type ConnectionOptions, Queue } from "bullmq";
import { QUEUES, type QueueName, type QueuePayload } from "./queues.js";

export type QueueConnection = { url: string; prefix: string };

export function connectionOptions(url: string): ConnectionOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.password && { password: decodeURIComponent(parsed.password) }),
    ...(parsed.username && { username: decodeURIComponent(parsed.username) }),
    ...(parsed.pathname.length > 1 && { db: Number(parsed.pathname.slice(1)) }),
    ...(parsed.protocol === "rediss:" && { tls: {} }),
    maxRetriesPerRequest: null,
  };
}

/** Typed producers: `producers.enqueue("usage", { generationIds })`. The job id dedupes repeated enqueues. */
export class Producers {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly connection: QueueConnection) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(QUEUES[name].name, {
        connection: connectionOptions(this.connection.url),
        prefix: this.connection.prefix,
        defaultJobOptions: {
          attempts: 8,
          backoff: { type: "exponential", delay: 500 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        },
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<Q extends QueueName>(name: Q, payload: QueuePayload<Q>, jobId?: string): Promise<void> {
    const data = QUEUES[name].payload.parse(payload);
    await this.queue(name).add(name, data, jobId ? { jobId } : {});
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
