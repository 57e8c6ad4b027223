import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importCatalog } from "@junction/db";
import type { TemplateOptions } from "./database.js";

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "../../../prisma/data");

/** Template option that imports the real catalog (prisma/data) once; databases cloned from it start seeded. */
export function withCatalog(): TemplateOptions {
  const rawJsonText = readFileSync(join(dataDir, "model-prices.json"), "utf8");
  const sandboxJsonText = readFileSync(join(dataDir, "sandbox-models.json"), "utf8");
  const key = createHash("sha256")
    .update(rawJsonText)
    .update(sandboxJsonText)
    .update(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../db/src/catalog/litellm.ts")))
    .digest("hex");
  return {
    extra: {
      key: `catalog:${key}`,
      build: (db) =>
        importCatalog(db, { rawJsonText, sandboxJsonText, source: "test", sourceDate: "2026-07-24" }),
    },
  };
}
