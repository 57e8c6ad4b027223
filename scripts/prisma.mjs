#!/usr/bin/env node
// Runs the repo-root Prisma CLI with our offline stand-in schema engine (scripts/prisma-schema-engine.mjs) instead
// of the native binary it would try to download. Usage: node scripts/prisma.mjs migrate deploy
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const engine = fileURLToPath(new URL("./prisma-schema-engine.mjs", import.meta.url));

const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: engine,
    CHECKPOINT_DISABLE: "1", // no telemetry/update check (no internet here)
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
process.on("SIGINT", () => {}); // the terminal already sends Ctrl-C to the child; just wait for it
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
