import { describe, expect, it } from "vitest";
import { createLogger, formatLogLine, REDACTED, redactValue, scrubSecrets } from "../src/index";

// Key-shaped strings built at run time from a well-known prefix and a synthetic body: none is a real credential,
// and none sits in the repository in a shape a secret scanner would flag.
const BODY = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEf";
const fake = (prefix: string, length: number, body = BODY) => `${prefix}${body.slice(0, length)}`;
const JUNCTION_KEY = fake("jk_live_", 38);
const SECRETS = [
  JUNCTION_KEY,
  fake("jk_test_", 16),
  fake("sk-proj-", 20),
  fake("sk-ant-api03-", 24),
  fake("sk_live_", 20),
  fake("rk_test_", 16),
  fake("whsec_", 20),
  fake("AIza", 35),
  fake("ghp_", 36),
  fake("AKIA", 16, "ABCDEFGHIJKLMNOP"),
  ["eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiJ1c3JfMSJ9", "c2lnbmF0dXJlLXNpZ25hdHVyZQ"].join("."),
];

describe("scrubSecrets", () => {
  it.each(SECRETS)("scrubs %s wherever it appears", (secret) => {
    const text = scrubSecrets(`before ${secret} after; "${secret}", key=${secret}`);
    expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);
    expect(text).toMatch(/^before /);
  });

  it("scrubs credentials in headers, query strings and one-time links, keeps ordinary text", () => {
    expect(scrubSecrets("Authorization: Bearer abc.def-ghi_jkl")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(scrubSecrets("GET /v1beta/models?key=secretvalue123&alt=sse")).toBe(
      `GET /v1beta/models?key=${REDACTED}&alt=sse`,
    );
    expect(scrubSecrets("open http://x/invite/AbCdEfGhIjKlMnOpQrSt_uv")).toBe(
      `open http://x/invite/${REDACTED}`,
    );
    expect(scrubSecrets("key jk_live_4f9a…x2Qe revoked for org_01jabc")).toBe(
      "key jk_live_4f9a…x2Qe revoked for org_01jabc",
    );
    expect(scrubSecrets("task-force gpt-4o-mini sandbox/junction-small")).toBe(
      "task-force gpt-4o-mini sandbox/junction-small",
    );
  });
});

describe("logger", () => {
  const capture = (level?: "debug" | "info" | "warn" | "error" | "silent") => {
    const lines: [string, string][] = [];
    const logger = createLogger("test", {
      ...(level && { level }),
      sink: (stream, line) => lines.push([stream, line]),
    });
    return { logger, lines };
  };

  it("redacts messages, fields by name and content, and errors (name, message, code only)", () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error(`upstream said: invalid key ${SECRETS[2]}`), { code: "E_AUTH" });
    logger.error(`request with ${JUNCTION_KEY} failed`, error);
    logger.info("settings", {
      apiKey: "plain-looking-value",
      password: "hunter2",
      nested: { authorization: "Basic dXNlcjpwYXNz", note: `see ${SECRETS[6]}` },
      count: 3,
      cost: 12n,
    });
    const text = lines.map(([, line]) => line).join("\n");
    for (const secret of [...SECRETS, "plain-looking-value", "hunter2", "dXNlcjpwYXNz"])
      expect(text).not.toContain(secret);
    expect(lines[0]?.[0]).toBe("stderr");
    expect(lines[0]?.[1]).toMatch(
      /^\[test\] request with \[redacted\] failed \{"error":"Error: upstream said: invalid key \[redacted\]","code":"E_AUTH"\}$/,
    );
    expect(lines[0]?.[1]).not.toContain("at ");
    expect(lines[1]?.[0]).toBe("stdout");
    expect(lines[1]?.[1]).toContain('"count":3');
    expect(lines[1]?.[1]).toContain('"cost":"12"');
  });

  it("keeps each entry on one line (no log injection) and honours the level", () => {
    const { logger, lines } = capture("warn");
    logger.info("hidden");
    logger.debug("hidden");
    logger.warn("line one\n[gateway] forged line");
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[1]).toBe("[test] line one [gateway] forged line");
    expect(formatLogLine("x", "m", { a: undefined })).toBe("[x] m {}");
    const silent = capture("silent");
    silent.logger.error("nothing");
    expect(silent.lines).toEqual([]);
    expect(capture().logger.child("sub")).toBeDefined();
  });

  it("redactValue survives cycles by depth and odd values", () => {
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 10; i++) {
      cursor.next = {};
      cursor = cursor.next as Record<string, unknown>;
    }
    expect(JSON.stringify(redactValue(deep))).toContain("[truncated]");
    expect(redactValue(new Date(0))).toBe("1970-01-01T00:00:00.000Z");
  });
});
