import { createServer } from "node:http";
import { loadWorkerEnv } from "@junction/config";
import { createDb } from "@junction/db";
import { Redis } from "ioredis";
import { log } from "./log.js";
import { startWorkers } from "./worker.js";

const env = loadWorkerEnv();
const db = createDb(env.DATABASE_URL);

// BullMQ loses jobs if Redis evicts keys under memory pressure; warn loudly rather than fail silently later.
const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
const policy = (await redis.config("GET", "maxmemory-policy")) as string[];
if (policy[1] !== "noeviction") {
  log.warn(`WARNING: Redis maxmemory-policy is "${policy[1]}", not "noeviction"; queued jobs may be evicted`);
}
redis.disconnect();

const { health, close } = await startWorkers(env, db);

const server = createServer((request, response) => {
  if (request.url === "/health") {
    const body = { status: "ok", ...health, uptimeSeconds: Math.round(process.uptime()) };
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    return;
  }
  response.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found"}}');
});
server.listen(env.WORKER_HEALTH_PORT, () => {
  log.info(`consuming queues; health at http://localhost:${env.WORKER_HEALTH_PORT}/health`);
});

const healthLine = setInterval(() => {
  log.info(
    `health: heartbeat=${health.lastHeartbeatAt?.toISOString() ?? "never"} processed=${health.processed} failed=${health.failed}`,
  );
}, 60_000);
healthLine.unref();

async function shutdown(signal: string): Promise<void> {
  log.info(`${signal}: finishing in-flight jobs`);
  server.close();
  await close();
  await db.$disconnect();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
