import { loadGatewayEnv } from "@junction/config";
import { startGateway } from "./gateway.js";

const env = loadGatewayEnv();
const gateway = await startGateway(env, process.env);
const catalog = gateway.context.catalog();
console.log(
  `[gateway] listening on ${gateway.url} (public URL ${env.GATEWAY_PUBLIC_URL}) (${catalog.models.size} models, price table v${catalog.priceTableVersion})`,
);

async function shutdown(signal: string): Promise<void> {
  console.log(`[gateway] ${signal}: closing`);
  await gateway.close();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
