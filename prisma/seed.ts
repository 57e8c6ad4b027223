/**
 * `pnpm db:seed`: imports the model catalog (LiteLLM price snapshot + the built-in sandbox models) as a new
 * price-table version. Safe to re-run; see packages/db/src/catalog/README.md.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCoreEnv } from "@junction/config";
import { createDb, importCatalog } from "@junction/db";

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "data");
const SOURCE = "litellm:model_prices_and_context_window.json";
const SOURCE_DATE = "2026-07-24"; // keep in step with prisma/data/SOURCE.md

async function main(): Promise<void> {
  const env = loadCoreEnv();
  const db = createDb(env.DATABASE_URL, { max: 2 });
  try {
    // `--if-empty` (used by the start command) seeds a fresh database only; a plain run always imports.
    if (process.argv.includes("--if-empty")) {
      const latest = await db.priceTableVersion.findFirst({ orderBy: { version: "desc" } });
      if (latest) {
        console.log(
          `catalog already imported (price table v${latest.version}); run \`pnpm db:seed\` to re-import`,
        );
        return;
      }
    }
    const result = await importCatalog(db, {
      rawJsonText: readFileSync(join(dataDir, "model-prices.json"), "utf8"),
      sandboxJsonText: readFileSync(join(dataDir, "sandbox-models.json"), "utf8"),
      source: SOURCE,
      sourceDate: SOURCE_DATE,
    });
    const skipped = Object.entries(result.skippedByReason)
      .map(([reason, count]) => `${reason} ${count}`)
      .join(", ");
    console.log(`catalog imported as price table v${result.version} (${result.priceTableVersionId})`);
    const rows: [string, string | number][] = [
      ["providers", result.providers],
      ["models", result.models],
      ["endpoints", result.endpoints],
      ["multi-host models", result.multiHostModels],
      ["newly deprecated", result.deprecated],
      ["skipped", `${result.skipped}${skipped ? ` (${skipped})` : ""}`],
    ];
    for (const [label, value] of rows) console.log(`  ${label.padEnd(18)} ${value}`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
