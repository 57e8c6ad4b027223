import { loadGatewayEnv } from "@junction/config";
import { createLogger } from "@junction/core";
import { startGateway } from "./gateway.js";

const env = loadGatewayEnv();
const log = createLogger("gateway", { level: env.LOG_LEVEL });
// A snapshot: provider settings are read per request, and every read of process.env itself is a call into libc.
const gateway = await startGateway(env, { ...process.env });
const catalog = gateway.context.catalog();
log.info(
  `listening on ${gateway.url} (public URL ${env.GATEWAY_PUBLIC_URL}) (${catalog.models.size} models, price table v${catalog.priceTableVersion})`,
);

async function shutdown(signal: string): Promise<void> {
  log.info(`${signal}: closing`);
  await gateway.close();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
