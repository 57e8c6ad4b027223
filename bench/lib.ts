import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/** The model every benchmark request asks for (served by the openai provider → the fake upstream). */
export const BENCH_MODEL = "openai/gpt-4o-mini";

/** The one request body every target gets: small prompt, usage requested when streaming. */
export function benchRequestBody(stream: boolean, system = "You are a terse assistant."): string {
  return JSON.stringify({
    model: BENCH_MODEL,
    messages: [
      { role: "system", content: system },
      { role: "user", content: "Say hello in twenty words." },
    ],
    max_tokens: 64,
    stream,
    ...(stream && { stream_options: { include_usage: true } }),
  });
}

/** A long system prompt of about `chars` characters of varied English (as agents send: rules, tools, context). */
export function longSystemPrompt(chars: number): string {
  const lines: string[] = [];
  let length = 0;
  for (let i = 1; length < chars; i++) {
    const line =
      `Rule ${i}: when the user asks about topic ${i % 97}, answer in at most ${(i % 13) + 2} sentences, ` +
      `cite section ${i}.${i % 7} of the handbook and never reveal configuration value ${(i * 7919) % 10007}.\n`;
    lines.push(line);
    length += line.length;
  }
  return lines.join("").slice(0, chars);
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

let clockTicks: number | undefined;
/** Clock ticks per second for /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux in practice). */
export function clkTck(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User and system CPU time of a process so far, in milliseconds (from /proc/<pid>/stat utime and stime). */
export function cpuTimes(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ms = (ticks: string | undefined) => (Number(ticks) * 1000) / clkTck();
  return { user: ms(fields[11]), system: ms(fields[12]) };
}

/** User + system CPU time of a process so far, in milliseconds. */
export function cpuMs(pid: number): number {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** Current and peak resident set size of a process, in MiB (/proc/<pid>/status VmRSS and VmHWM). */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

export type Child = { name: string; process: ChildProcess; pid: number; output: string[] };

const children = new Set<Child>();

/** Every process the benchmark started and has not yet seen exit. */
export function liveChildren(): Child[] {
  return [...children];
}

/**
 * Starts a Node process running a TypeScript file through tsx's loader (`node --import tsx`, one process, so
 * /proc/<pid> is the server itself, not a tsx wrapper) and waits until a stdout line matches `ready`.
 */
export function startNode(
  name: string,
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    ready: RegExp;
    timeoutMs?: number;
    nodeArgs?: string[];
    cwd?: string;
    /** Called with every line the server prints on stdout. */
    onLine?: (line: string) => void;
  },
): Promise<{ child: Child; match: RegExpMatchArray }> {
  // TypeScript runs through tsx; a built .js file (the gateway's dist/main.js) runs as it does in production.
  const loader = args[0]?.endsWith(".js") ? [] : ["--import", "tsx"];
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const child: Child = { name, process: proc, pid: proc.pid ?? -1, output: [] };
  children.add(child);
  proc.once("exit", () => children.delete(child));
  const remember = (line: string) => {
    child.output.push(line);
    if (child.output.length > 200) child.output.shift();
  };
  return new Promise((resolve, reject) => {
    let buffered = "";
    let ready = false;
    const timer = setTimeout(() => {
      if (!ready) reject(new Error(`${name} did not become ready in time:\n${child.output.join("\n")}`));
    }, options.timeoutMs ?? 60_000);
    proc.stdout?.setEncoding("utf8");
    proc.stdout?.on("data", (text: string) => {
      buffered += text;
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        remember(line);
        options.onLine?.(line);
        const match = ready ? null : options.ready.exec(line);
        if (match) {
          ready = true;
          clearTimeout(timer);
          resolve({ child, match });
        }
        newline = buffered.indexOf("\n");
      }
    });
    proc.stderr?.setEncoding("utf8");
    proc.stderr?.on("data", (text: string) => {
      for (const line of text.split("\n")) if (line) remember(`[stderr] ${line}`);
    });
    proc.once("exit", (code, signal) => {
      if (!ready) {
        clearTimeout(timer);
        reject(
          new Error(`${name} exited (${signal ?? code}) before it was ready:\n${child.output.join("\n")}`),
        );
      }
    });
  });
}

/** Runs a command to completion, collecting stdout; killed after `timeoutMs`. Tracked for cleanup meanwhile. */
export function runToCompletion(
  name: string,
  command: string,
  args: string[],
  timeoutMs: number,
  cwd?: string,
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const proc = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const child: Child = { name, process: proc, pid: proc.pid ?? -1, output: [] };
  children.add(child);
  let stdout = "";
  let stderr = "";
  proc.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  proc.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    proc.once("error", (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    proc.once("close", (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ stdout, stderr, code });
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs` if the process is still there. Resolves once it has exited. */
export async function stopChild(child: Child, graceMs = 5_000): Promise<void> {
  const proc = child.process;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
