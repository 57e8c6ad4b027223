import { type NanoUsd, usdToNano } from "@junction/core";

/** The most one CLI amount may be: far above any real top-up, far below Postgres' bigint (9.2e18 nano-USD). */
export const MAX_CLI_USD = 1_000_000_000;
const MAX_NANO = BigInt(MAX_CLI_USD) * 1_000_000_000n;

/**
 * A USD amount from the command line, exactly (no float: "0.1" is 100,000,000 nano-USD), or a one-line error
 * naming `what`. Scientific notation is taken ("1e3" is 1,000), but an exponent that could only mean a typo is
 * refused before any arithmetic (`1e99999999` would otherwise build a number of a hundred million digits).
 */
export function parseUsdAmount(
  text: string,
  what: string,
  sign: "positive" | "non-negative" | "any",
): NanoUsd {
  // ".5" and "5." are amounts as people type them; the exact parser wants digits on both sides of a point.
  const amount = text
    .trim()
    .replace(/^(-?)\.(?=\d)/, (_, sign: string) => `${sign}0.`)
    .replace(/(\d)\.(?=$|e)/i, "$1");
  const exponent = /e([+-]?\d+)$/i.exec(amount)?.[1];
  if (exponent !== undefined && Math.abs(Number(exponent)) > 18)
    throw new Error(`${what} is out of range (at most ${MAX_CLI_USD} USD): ${JSON.stringify(text)}`);
  let nano: NanoUsd;
  try {
    nano = usdToNano(amount);
  } catch {
    // A well-formed number that usdToNano refused has digits past the ninth decimal place ("1e-10" too).
    const finer = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(amount);
    throw new Error(
      finer
        ? `${what} is finer than 1e-9 USD (one nano-USD): ${JSON.stringify(text)}`
        : `${what} must be an amount in USD such as 12.50: ${JSON.stringify(text)}`,
    );
  }
  if (nano > MAX_NANO || nano < -MAX_NANO)
    throw new Error(`${what} is out of range (at most ${MAX_CLI_USD} USD): ${JSON.stringify(text)}`);
  if (sign === "positive" && nano <= 0n)
    throw new Error(`${what} must be more than 0: ${JSON.stringify(text)}`);
  if (sign === "non-negative" && nano < 0n)
    throw new Error(`${what} must not be negative: ${JSON.stringify(text)}`);
  if (sign === "any" && nano === 0n) throw new Error(`${what} must not be 0`);
  return nano;
}

const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * node:util's parseArgs reads `-5` as an unknown short option, so `credit add --org … -5` (the documented way to
 * remove credit) could not be typed. A negative number that is an option's value becomes `--option=-5`; any other
 * goes after `--`, where parseArgs takes it as a positional (after the others: the amount is the last one).
 */
export function withNegativeNumbers(args: string[], stringOptions: ReadonlySet<string>): string[] {
  const end = args.indexOf("--");
  const head = end === -1 ? args : args.slice(0, end);
  const tail = end === -1 ? [] : args.slice(end + 1);
  const kept: string[] = [];
  const positionals: string[] = [];
  for (const arg of head) {
    if (!NEGATIVE_NUMBER.test(arg)) {
      kept.push(arg);
      continue;
    }
    const previous = kept.at(-1);
    if (previous?.startsWith("--") && !previous.includes("=") && stringOptions.has(previous.slice(2)))
      kept[kept.length - 1] = `${previous}=${arg}`;
    else positionals.push(arg);
  }
  return positionals.length || end !== -1 ? [...kept, "--", ...positionals, ...tail] : kept;
}

/**
 * The one line an operator sees for a failure: the message, without what Prisma adds (the invocation and the
 * source lines around it) or zod's JSON dump of its issues.
 */
export function cliErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const issues = (error as { issues?: unknown }).issues;
  if (Array.isArray(issues)) {
    return issues
      .map((issue: { path?: unknown[]; message?: string }) => {
        const path = issue.path?.length ? `\`${issue.path.join(".")}\` ` : "";
        return `${path}${issue.message ?? "is invalid"}`;
      })
      .join("; ");
  }
  if (error.name.startsWith("PrismaClient")) {
    const lines = error.message.split("\n").filter((line) => line.trim());
    return lines.at(-1)?.trim() ?? "database error";
  }
  return error.message;
}
