import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The dashboard's "@/…" imports (its tsconfig paths), for its unit tests.
  resolve: {
    alias: [{ find: /^@\//, replacement: fileURLToPath(new URL("apps/dashboard/", import.meta.url)) }],
  },
  test: {
    include: [
      "packages/*/test/**/*.test.ts",
      "apps/gateway/test/**/*.test.ts",
      "apps/worker/test/**/*.test.ts",
      "prisma/test/**/*.test.ts",
      "apps/dashboard/test/**/*.test.ts",
    ],
    testTimeout: 30_000,
    // beforeAll hooks build the test-database templates, slow on a loaded CI machine.
    hookTimeout: 180_000,
    pool: "forks",
  },
});
