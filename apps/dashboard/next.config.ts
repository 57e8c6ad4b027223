import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

/** The monorepo root (where pnpm-lock.yaml lives), so Turbopack and output tracing see the workspace packages. */
const workspaceRoot = fileURLToPath(new URL("../..", import.meta.url));

const nextConfig: NextConfig = {
  // Workspace packages ship TypeScript source (their package.json "exports" point at src/*.ts).
  transpilePackages: ["@junction/api", "@junction/config", "@junction/core", "@junction/db", "@junction/ui"],
  typedRoutes: false,
  poweredByHeader: false,
  reactStrictMode: true,
  turbopack: { root: workspaceRoot },
  outputFileTracingRoot: workspaceRoot,
};

export default nextConfig;
