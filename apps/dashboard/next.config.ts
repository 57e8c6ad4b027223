import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

/** The monorepo root (where pnpm-lock.yaml lives), so Turbopack and output tracing see the workspace packages. */
const workspaceRoot = fileURLToPath(new URL("../..", import.meta.url));

const nextConfig: NextConfig = {
  // Workspace packages ship TypeScript source (their package.json "exports" point at src/*.ts).
  transpilePackages: [
    "@junction/api",
    "@junction/billing",
    "@junction/config",
    "@junction/core",
    "@junction/db",
    "@junction/routing",
    "@junction/queue",
    "@junction/ui",
  ],
  // Node-only drivers stay out of the bundle and are required at run time (one pool per process, see lib/server).
  serverExternalPackages: [
    "pg",
    "@prisma/adapter-pg",
    "@prisma/client",
    "ioredis",
    "bullmq",
    "stripe",
    "nodemailer",
  ],
  typedRoutes: false,
  poweredByHeader: false,
  reactStrictMode: true,
  turbopack: { root: workspaceRoot },
  // The workspace packages are ESM TypeScript that import siblings as "./x.js" (what Node and tsc expect).
  // Turbopack in Next 16.4 cannot map those to ./x.ts (vercel/next.js#82945), so the app builds with webpack.
  webpack: (config: { resolve: { extensionAlias?: Record<string, string[]> } }) => {
    config.resolve.extensionAlias = { ".js": [".ts", ".tsx", ".js"], ".mjs": [".mts", ".mjs"] };
    return config;
  },
  outputFileTracingRoot: workspaceRoot,
};

export default nextConfig;
