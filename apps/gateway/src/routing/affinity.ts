import { createHash } from "node:crypto";
import type { ChatRequest } from "@junction/providers";
import type { Redis } from "ioredis";

/**
 * Prompt-cache affinity: requests from the same key with the same prompt prefix go to the same endpoint for
 * 10 minutes while it is healthy, so providers' prompt caches actually hit. Only prompts long enough to be cached
 * (1,024 tokens is the providers' minimum) pay for the Redis lookup.
 */
const TTL_SECONDS = 600;
export const AFFINITY_MIN_PROMPT_TOKENS = 1024;

/** The prefix is everything but the last message: what the next turn of a conversation repeats. */
export function affinityKey(prefix: string, keyId: string, request: ChatRequest): string {
  const stable = request.messages.length > 1 ? request.messages.slice(0, -1) : request.messages;
  const digest = createHash("sha256")
    .update(request.model)
    .update(JSON.stringify(stable))
    .digest("base64url")
    .slice(0, 22);
  return `${prefix}:affinity:${keyId}:${digest}`;
}

export class PromptAffinity {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(keyId: string, request: ChatRequest): string {
    return affinityKey(this.prefix, keyId, request);
  }

  async lookup(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }

  async remember(key: string, endpointId: string): Promise<void> {
    await this.redis.set(key, endpointId, "EX", TTL_SECONDS);
  }
}
