/**
 * A small JSON parser that keeps every number as the exact text of its literal. `JSON.parse` turns `1.1e-06` into
 * the nearest binary double and the digits the source wrote are gone; prices must be read from the digits.
 * (Node 20 has no `JSON.parse` source-text access, so the scanner below walks the text itself.)
 */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type LosslessJson = null | boolean | string | JsonNumber | LosslessJson[] | LosslessObject;
export type LosslessObject = { [key: string]: LosslessJson };

export class LosslessJsonError extends SyntaxError {
  override name = "LosslessJsonError";
}

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= "0" && char <= "9";

class Scanner {
  private index = 0;

  constructor(private readonly text: string) {}

  parseDocument(): LosslessJson {
    const value = this.value();
    this.skipWhitespace();
    if (this.index !== this.text.length) this.fail("unexpected text after the document");
    return value;
  }

  private fail(message: string): never {
    throw new LosslessJsonError(`${message} at offset ${this.index}`);
  }

  private skipWhitespace(): void {
    for (;;) {
      const char = this.text[this.index];
      if (char !== " " && char !== "\n" && char !== "\r" && char !== "\t") return;
      this.index++;
    }
  }

  private expect(char: string): void {
    if (this.text[this.index] !== char) this.fail(`expected ${JSON.stringify(char)}`);
    this.index++;
  }

  private value(): LosslessJson {
    this.skipWhitespace();
    const char = this.text[this.index];
    if (char === "{") return this.object();
    if (char === "[") return this.array();
    if (char === '"') return this.string();
    if (char === "-" || isDigit(char)) return this.number();
    for (const [word, literal] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return literal;
      }
    }
    return this.fail("unexpected character");
  }

  private object(): LosslessObject {
    this.expect("{");
    // No prototype, so a key such as "__proto__" is stored like any other.
    const result: LosslessObject = Object.create(null);
    this.skipWhitespace();
    if (this.text[this.index] === "}") {
      this.index++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      const key = this.string();
      this.skipWhitespace();
      this.expect(":");
      result[key] = this.value(); // a repeated key keeps the last value, as JSON.parse does
      this.skipWhitespace();
      if (this.text[this.index] === ",") {
        this.index++;
        continue;
      }
      this.expect("}");
      return result;
    }
  }

  private array(): LosslessJson[] {
    this.expect("[");
    const result: LosslessJson[] = [];
    this.skipWhitespace();
    if (this.text[this.index] === "]") {
      this.index++;
      return result;
    }
    for (;;) {
      result.push(this.value());
      this.skipWhitespace();
      if (this.text[this.index] === ",") {
        this.index++;
        continue;
      }
      this.expect("]");
      return result;
    }
  }

  private string(): string {
    const start = this.index;
    this.expect('"');
    for (;;) {
      const char = this.text[this.index];
      if (char === undefined) this.fail("unterminated string");
      if (char === "\\") this.index += 2;
      else if (char === '"') break;
      else this.index++;
    }
    this.index++;
    // Strings carry no numbers, so JSON.parse decodes the escapes exactly.
    return JSON.parse(this.text.slice(start, this.index)) as string;
  }

  /** JSON's number grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? — kept as text. */
  private number(): JsonNumber {
    const start = this.index;
    if (this.text[this.index] === "-") this.index++;
    if (this.text[this.index] === "0") this.index++;
    else this.digits();
    if (this.text[this.index] === ".") {
      this.index++;
      this.digits();
    }
    if (this.text[this.index] === "e" || this.text[this.index] === "E") {
      this.index++;
      if (this.text[this.index] === "+" || this.text[this.index] === "-") this.index++;
      this.digits();
    }
    return new JsonNumber(this.text.slice(start, this.index));
  }

  private digits(): void {
    if (!isDigit(this.text[this.index])) this.fail("expected a digit");
    while (isDigit(this.text[this.index])) this.index++;
  }
}

/** Parses JSON text like `JSON.parse`, except that numbers become `JsonNumber`s holding their source text. */
export function parseLosslessJson(text: string): LosslessJson {
  return new Scanner(text).parseDocument();
}

export function isLosslessObject(value: LosslessJson | undefined): value is LosslessObject {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber)
  );
}
