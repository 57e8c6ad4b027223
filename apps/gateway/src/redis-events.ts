import type { Redis } from "ioredis";

/** One Redis subscriber connection per gateway, shared by everything that listens (key revocations, breakers). */
export class RedisEvents {
  private readonly handlers = new Map<string, (message: string) => void>();

  constructor(private readonly subscriber: Redis) {
    subscriber.on("message", (channel: string, message: string) => this.handlers.get(channel)?.(message));
  }

  async on(channel: string, handler: (message: string) => void): Promise<void> {
    this.handlers.set(channel, handler);
    await this.subscriber.subscribe(channel);
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
