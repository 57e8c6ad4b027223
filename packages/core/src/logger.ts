import { redactValue, scrubSecrets } from "./redact.js";

/**
 * The one logger of the gateway, the worker and the dashboard's server code. Every line goes through the same
 * redaction: key-shaped strings in the message are scrubbed, fields are redacted by name and content, and an
 * error contributes only its name, message and code (scrubbed) — never a stack with request data in it.
 * Format: `[name] message {"field":…}` on stdout (info/debug) or stderr (warn/error), one line each.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export type LogFields = Record<string, unknown>;
export type Logger = {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields | unknown): void;
  error(message: string, fields?: LogFields | unknown): void;
  child(name: string): Logger;
};
export type LogSink = (stream: "stdout" | "stderr", line: string) => void;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const defaultSink: LogSink = (stream, line) => {
  (stream === "stderr" ? process.stderr : process.stdout).write(`${line}\n`);
};

function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const code = (error as { code?: unknown }).code;
  return { error: `${error.name}: ${error.message}`, ...(code !== undefined && { code: String(code) }) };
}

/** Formats one line (exported for tests and for callers that hand lines to another sink). */
export function formatLogLine(name: string, message: string, fields?: LogFields | unknown): string {
  const data =
    fields === undefined
      ? undefined
      : fields instanceof Error || typeof fields !== "object" || fields === null
        ? describeError(fields)
        : Object.fromEntries(
            Object.entries(fields as LogFields).map(([key, value]) => [
              key,
              value instanceof Error ? describeError(value) : value,
            ]),
          );
  const text = `[${name}] ${scrubSecrets(message)}`.replace(/[\r\n]+/g, " ");
  return data && Object.keys(data).length ? `${text} ${JSON.stringify(redactValue(data))}` : text;
}

export function createLogger(name: string, options: { level?: LogLevel; sink?: LogSink } = {}): Logger {
  const threshold = RANK[options.level ?? "info"];
  const sink = options.sink ?? defaultSink;
  const emit = (level: Exclude<LogLevel, "silent">, message: string, fields?: unknown) => {
    if (RANK[level] < threshold) return;
    sink(level === "warn" || level === "error" ? "stderr" : "stdout", formatLogLine(name, message, fields));
  };
  return {
    debug: (message, fields) => emit("debug", message, fields),
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
    child: (child) => createLogger(`${name}:${child}`, options),
  };
}
