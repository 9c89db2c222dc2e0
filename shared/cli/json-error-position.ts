/**
 * Finds where a JSON document first goes wrong. V8's JSON.parse messages
 * often carry no position ("Unexpected token '}', ... is not valid JSON"),
 * and a user fixing a pipeline file needs a line and column.
 */

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

class Scanner {
  private offset = 0;

  constructor(private readonly text: string) {}

  check(): void {
    this.value();
    this.whitespace();
    if (this.offset < this.text.length) this.fail('unexpected text after the document');
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(this.offset, message);
  }

  private whitespace(): void {
    while (/[ \t\r\n]/.test(this.text[this.offset] ?? '')) this.offset++;
  }

  private expect(char: string): void {
    if (this.text[this.offset] !== char) this.fail(`expected '${char}'`);
    this.offset++;
  }

  private value(): void {
    this.whitespace();
    const char = this.text[this.offset];
    if (char === '{') this.object();
    else if (char === '[') this.array();
    else if (char === '"') this.string();
    else if (char !== undefined && /[-0-9]/.test(char)) this.number();
    else this.literal(char);
  }

  private literal(char: string | undefined): void {
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.offset)) {
        this.offset += literal.length;
        return;
      }
    }
    this.fail(char === undefined ? 'unexpected end of input' : `unexpected '${char}'`);
  }

  private object(): void {
    this.expect('{');
    this.whitespace();
    if (this.text[this.offset] === '}') {
      this.offset++;
      return;
    }
    for (;;) {
      this.whitespace();
      this.string();
      this.whitespace();
      this.expect(':');
      this.value();
      this.whitespace();
      if (this.text[this.offset] === ',') this.offset++;
      else {
        this.expect('}');
        return;
      }
    }
  }

  private array(): void {
    this.expect('[');
    this.whitespace();
    if (this.text[this.offset] === ']') {
      this.offset++;
      return;
    }
    for (;;) {
      this.value();
      this.whitespace();
      if (this.text[this.offset] === ',') this.offset++;
      else {
        this.expect(']');
        return;
      }
    }
  }

  private string(): void {
    this.expect('"');
    for (;;) {
      const char = this.text[this.offset];
      if (char === undefined) this.fail('unterminated string');
      if (char === '"') {
        this.offset++;
        return;
      }
      if (char < ' ') this.fail('control character in string');
      this.offset += char === '\\' ? 2 : 1;
    }
  }

  private number(): void {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.offset));
    if (!match) this.fail('malformed number');
    this.offset += match[0].length;
  }
}

export interface JsonErrorLocation {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The 1-based line and column of the first syntax error, or undefined for valid JSON. */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  try {
    new Scanner(text).check();
    return undefined;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    return { line, column: error.offset - before.lastIndexOf('\n'), message: error.message };
  }
}
