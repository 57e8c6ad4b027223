import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

const sources: string[] = [];

/**
 * A Lua script called by its SHA (EVALSHA), so the hot path does not ship the script's text with every call.
 * `loadScripts` sends every script at startup and on every reconnect; a Redis that still lost them (SCRIPT FLUSH)
 * gets the text again through EVAL. That fallback is a second round trip, so it can run after calls sent later:
 * loading the scripts up front keeps calls in the order they were made, short of a flush while running.
 */
export function defineScript(source: string) {
  const sha = createHash("sha1").update(source).digest("hex");
  sources.push(source);
  return async (redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String(error).includes("NOSCRIPT")) throw error;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}

/** Loads every defined script into Redis (SCRIPT LOAD): before the gateway takes requests, and after reconnects. */
export async function loadScripts(redis: Redis): Promise<void> {
  await Promise.all(sources.map((source) => redis.script("LOAD", source)));
}
