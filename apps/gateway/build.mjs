// Bundles the gateway for production: its own and the workspace packages' TypeScript into dist/main.js, which
// `pnpm --filter @junction/gateway start` runs. Plain JavaScript instead of tsx saves the `__name` call tsx's
// transform adds to every named closure it creates (per request, on the hot path) and source-mapped stack traces.
// Types are checked by `pnpm typecheck`, not here.
//
// Third-party packages are not bundled. Each import is resolved where it is written (a workspace package's own
// node_modules, as pnpm lays them out) and points there by a relative path, so dist/ runs in this checkout.
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "dist");

const thirdPartyInPlace = {
  name: "third-party-in-place",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith("@junction/") || args.path.startsWith("node:") || args.pluginData?.inPlace)
        return undefined;
      const found = await builder.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { inPlace: true },
      });
      if (found.errors.length) return { errors: found.errors };
      if (found.external) return { path: args.path, external: true }; // a Node built-in
      const path = relative(outdir, found.path);
      return { path: path.startsWith(".") ? path : `./${path}`, external: true };
    });
  },
};

await build({
  entryPoints: [join(here, "src/main.ts")],
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  plugins: [thirdPartyInPlace],
});
