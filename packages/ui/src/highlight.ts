export type CodeLanguage = "bash" | "typescript" | "python" | "json";
export type TokenKind = "plain" | "comment" | "string" | "url" | "keyword" | "number" | "flag" | "variable";

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the token in the source; unique, so it doubles as a React key. */
  start: number;
}

const KEYWORDS: Record<CodeLanguage, ReadonlySet<string>> = {
  bash: new Set(["curl", "export"]),
  typescript: new Set([
    "import",
    "from",
    "const",
    "let",
    "await",
    "new",
    "export",
    "return",
    "async",
    "function",
    "true",
    "false",
    "null",
    "undefined",
  ]),
  python: new Set(["import", "from", "def", "return", "as", "with", "None", "True", "False"]),
  json: new Set(["true", "false", "null"]),
};

const COMMENT: Record<CodeLanguage, string> = {
  bash: String.raw`#[^\n]*`,
  python: String.raw`#[^\n]*`,
  typescript: String.raw`\/\/[^\n]*`,
  json: "(?!)",
};

const STRING = [String.raw`"(?:[^"\\\n]|\\.)*"`, String.raw`'(?:[^'\\]|\\.)*'`, "`(?:[^`\\\\]|\\\\.)*`"].join(
  "|",
);

function tokenPattern(language: CodeLanguage): RegExp {
  return new RegExp(
    [
      `(?<comment>${COMMENT[language]})`,
      `(?<string>${STRING})`,
      String.raw`(?<url>https?:\/\/[^\s"'\x60\\]+)`,
      language === "bash" ? String.raw`(?<flag>(?<=\s)--?[A-Za-z][\w-]*)` : "(?<flag>(?!))",
      String.raw`(?<variable>\$[A-Za-z_]\w*)`,
      String.raw`(?<number>\b\d+(?:\.\d+)?\b)`,
      String.raw`(?<word>[A-Za-z_]\w*)`,
    ].join("|"),
    "g",
  );
}

/**
 * A deliberately small tokenizer for the handful of snippet languages the product shows: good enough to colour
 * strings, comments, keywords and flags, with no dependency and no HTML injection (tokens render as text).
 */
export function highlight(code: string, language: CodeLanguage): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, text: string, start: number) => {
    const last = tokens.at(-1);
    if (last && last.kind === kind && kind === "plain") {
      last.text += text;
    } else {
      tokens.push({ kind, text, start });
    }
  };
  let cursor = 0;
  for (const match of code.matchAll(tokenPattern(language))) {
    const start = match.index;
    if (start > cursor) push("plain", code.slice(cursor, start), cursor);
    const groups = match.groups ?? {};
    const text = match[0];
    if (groups.comment !== undefined) push("comment", text, start);
    else if (groups.string !== undefined) push("string", text, start);
    else if (groups.url !== undefined) push("url", text, start);
    else if (groups.flag !== undefined) push("flag", text, start);
    else if (groups.variable !== undefined) push("variable", text, start);
    else if (groups.number !== undefined) push("number", text, start);
    else push(KEYWORDS[language].has(text) ? "keyword" : "plain", text, start);
    cursor = start + text.length;
  }
  if (cursor < code.length) push("plain", code.slice(cursor), cursor);
  return tokens;
}
