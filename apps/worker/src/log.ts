import { loadCoreEnv } from "@junction/config";
import { createLogger } from "@junction/core";

/** The worker's logger: the shared redacting logger of @junction/core, at LOG_LEVEL. */
export const log = createLogger("worker", { level: loadCoreEnv().LOG_LEVEL });
