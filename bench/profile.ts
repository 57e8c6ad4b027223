import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Summarises a V8 .cpuprofile (as written by `pnpm bench --profile` into bench/results/profile/): where the
 * gateway's CPU time goes, by package/area (self time) and by function (self and inclusive time).
 *
 * Usage: node --import tsx bench/profile.ts [file.cpuprofile | directory] [--top 30] [--from <s>]
 *   --from <s>  ignore the first s seconds of the profile (startup and warm-up)
 */

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
};

const args = process.argv.slice(2);
const flag = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const top = Number(flag("--top") ?? 30);
const fromUs = Number(flag("--from") ?? 0) * 1e6;
const target =
  args.find((arg, index) => !arg.startsWith("--") && !args[index - 1]?.startsWith("--")) ??
  "bench/results/profile";

function newestProfile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => join(path, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!files[0]) throw new Error(`no .cpuprofile in ${path}`);
  return files[0];
}

/** A short area name for a script URL: the npm package, the workspace package/file, or node's internals. */
function area(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith("(") ? frame.functionName : "(native / builtins)";
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1] as string;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1] as string;
  const workspace = /\/(apps|packages)\/([^/]+)\/src\/(.+)$/.exec(url);
  if (workspace)
    return workspace[1] === "apps" ? `${workspace[2]}/${workspace[3]}` : `@junction/${workspace[2]}`;
  return url.replace(/^file:\/\//, "");
}

const file = newestProfile(target);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfUs = new Map<number, number>();
let elapsedUs = 0;
for (let index = 0; index < profile.samples.length; index++) {
  elapsedUs += profile.timeDeltas[index] ?? 0;
  if (elapsedUs < fromUs) continue;
  const id = profile.samples[index] as number;
  const delta = profile.timeDeltas[index + 1] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, delta));
}
const totalUs = [...selfUs.values()].reduce((sum, value) => sum + value, 0);
const idleUs = [...selfUs.entries()]
  .filter(([id]) => byId.get(id)?.callFrame.functionName === "(idle)")
  .reduce((sum, [, value]) => sum + value, 0);
const busyUs = totalUs - idleUs;

const key = (frame: CallFrame) =>
  `${frame.functionName || "(anonymous)"}  ${area(frame)}:${frame.lineNumber + 1}`;
/** The area of the nearest frame on the stack that is in a package or workspace file (natives, node internals and
 * builtins are charged to whoever called them), or the leaf's own area when there is none (GC, idle, timers). */
function owner(id: number): string {
  for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
    const frame = (byId.get(current) as ProfileNode).callFrame;
    if (frame.url && !frame.url.startsWith("node:")) return area(frame);
  }
  return area((byId.get(id) as ProfileNode).callFrame);
}

const areaSelf = new Map<string, number>();
const areaOwned = new Map<string, number>();
const fnSelf = new Map<string, number>();
const fnInclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id) as ProfileNode;
  if (node.callFrame.functionName === "(idle)") continue;
  const name = area(node.callFrame);
  areaSelf.set(name, (areaSelf.get(name) ?? 0) + us);
  const owned = owner(id);
  areaOwned.set(owned, (areaOwned.get(owned) ?? 0) + us);
  fnSelf.set(key(node.callFrame), (fnSelf.get(key(node.callFrame)) ?? 0) + us);
  // Inclusive: credit every distinct function on the sample's stack once.
  const seen = new Set<string>();
  for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
    const k = key((byId.get(current) as ProfileNode).callFrame);
    if (seen.has(k)) continue;
    seen.add(k);
    fnInclusive.set(k, (fnInclusive.get(k) ?? 0) + us);
  }
}

const pct = (us: number) => `${((us / busyUs) * 100).toFixed(1).padStart(5)}%`;
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const print = (title: string, map: Map<string, number>, count: number) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(`${ms(us)} ${pct(us)}  ${name}`);
  }
};

console.log(
  `${file}\nsampled ${(totalUs / 1e6).toFixed(1)} s, busy ${(busyUs / 1e6).toFixed(1)} s (percentages are of busy time)`,
);
print("Self time by area", areaSelf, top);
print(
  "Time by owning area (native and node-internal work charged to the nearest package/workspace caller)",
  areaOwned,
  top,
);
print("Self time by function", fnSelf, top);
print("Inclusive time by function", fnInclusive, top);
