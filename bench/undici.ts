import { createRequire } from "node:module";

/**
 * undici is a dependency of the gateway, not of the repository root, and pnpm's strict layout does not let code
 * under bench/ import it by name. Load the very copy the gateway uses (same version, same behaviour) through the
 * gateway package's resolution, typed from that copy. Adding `undici` to the root devDependencies would make this
 * a plain import.
 */
export type Undici = typeof import("../apps/gateway/node_modules/undici/index.js");

const requireFromGateway = createRequire(new URL("../apps/gateway/package.json", import.meta.url));

export const undici = requireFromGateway("undici") as Undici;
