import { defineConfig } from "prisma/config";

// Migrate/db commands run through scripts/prisma.mjs (offline stand-in schema engine). Plain process.env, so
// `prisma generate` works without a database.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
    seed: "tsx prisma/seed.ts",
  },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/junction",
  },
});
