import { randomBytes } from "node:crypto";
import { loadCoreEnv } from "@junction/config";
import { Redis } from "ioredis";

/** A Redis key prefix of one's own per test file; `cleanup()` deletes every key under it. */
export function createTestRedisPrefix(): { prefix: string; url: string; cleanup: () => Promise<void> } {
  const prefix = `jt_${randomBytes(5).toString("hex")}`;
  const url = loadCoreEnv().REDIS_URL;
  return {
    prefix,
    url,
    cleanup: async () => {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      try {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
          cursor = next;
          if (keys.length) await redis.unlink(...keys);
        } while (cursor !== "0");
      } finally {
        redis.disconnect();
      }
    },
  };
}
