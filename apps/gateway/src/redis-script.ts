import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * A Lua script sent once and then called by its SHA (EVALSHA), so the hot path does not ship the script's text
 * with every call. Falls back to EVAL when Redis does not know it (after a restart or SCRIPT FLUSH).
 */
export function defineScript(source: string) {
  const sha = createHash("sha1").update(source).digest("hex");
  return async (redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String(error).includes("NOSCRIPT")) throw error;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
