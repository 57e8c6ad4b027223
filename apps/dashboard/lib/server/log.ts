import { createLogger, type Logger } from "@junction/core";
import { dashboardEnv } from "@/lib/env";

let cached: Logger | undefined;

/** The dashboard server's logger: the shared redacting logger of @junction/core, at LOG_LEVEL. */
export function log(): Logger {
  cached ??= createLogger("dashboard", { level: dashboardEnv().LOG_LEVEL });
  return cached;
}
