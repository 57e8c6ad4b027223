// Prints the closing "N passed, N failed" line for the whole run (Vitest + Playwright).
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(".junction/vitest.json")) {
  const vitest = JSON.parse(readFileSync(".junction/vitest.json", "utf8"));
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
}
if (existsSync(".junction/playwright.json")) {
  const stats = JSON.parse(readFileSync(".junction/playwright.json", "utf8")).stats;
  passed += stats.expected;
  failed += stats.unexpected;
  skipped += stats.skipped;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exitCode = failed ? 1 : 0;
