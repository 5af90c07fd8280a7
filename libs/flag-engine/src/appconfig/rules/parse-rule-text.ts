import { MAX_RULE_DEPTH, MAX_RULE_LENGTH, MAX_RULE_NODES, RuleError, type RuleNode } from '../model';
import { parseW3cTimestamp } from './w3c-timestamp';

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const NUMBER_OR_TIMESTAMP = /[-+]?[0-9][0-9A-Za-z.:+-]*/y;
const INTEGER = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Parses the text of an AppConfig variant rule — an Ion s-expression such as
 * `(and (eq $country "DE") (split pct::10 by::$userId))` — into a rule tree. Throws RuleError naming the
 * character position (1-based) of the first problem. Parse once per document; evaluation never parses.
 */
export function parseRuleText(text: string): RuleNode {
  if (text.length > MAX_RULE_LENGTH)
    throw new RuleError(`the rule is longer than ${MAX_RULE_LENGTH} characters`, 'character 1');
  const parser = new RuleTextParser(text);
  parser.skipSpace();
  const node = parser.value(0);
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail('unexpected text after the rule');
  return node;
}

class RuleTextParser {
  private position = 0;
  private nodes = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  fail(message: string, position = this.position): never {
    throw new RuleError(message, `character ${position + 1}`);
  }

  skipSpace(): void {
    while (!this.atEnd()) {
      const char = this.text[this.position];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') this.position++;
      else if (this.text.startsWith('//', this.position)) {
        const end = this.text.indexOf('\n', this.position);
        this.position = end === -1 ? this.text.length : end;
      } else return;
    }
  }

  /** One value, with optional `name::` annotations handled by the caller (sexp arguments). */
  value(depth: number): RuleNode {
    if (depth > MAX_RULE_DEPTH) this.fail(`the rule is nested deeper than ${MAX_RULE_DEPTH} levels`);
    if (++this.nodes > MAX_RULE_NODES) this.fail(`the rule has more than ${MAX_RULE_NODES} parts`);
    const start = this.position;
    const at = `character ${start + 1}`;
    if (this.atEnd()) this.fail('the rule ends too early');
    const char = this.text[this.position];
    if (char === '(') return this.sexp(depth, at);
    if (char === '[') return this.list(depth, at);
    if (char === '"') return { kind: 'string', value: this.string(), at };
    if (char === "'") return this.symbolNode(this.quotedSymbol(), at);
    NUMBER_OR_TIMESTAMP.lastIndex = start;
    const numeric = NUMBER_OR_TIMESTAMP.exec(this.text);
    if (numeric !== null) {
      this.position = start + numeric[0].length;
      return this.numberOrTimestamp(numeric[0], start, at);
    }
    IDENTIFIER.lastIndex = start;
    const identifier = IDENTIFIER.exec(this.text);
    if (identifier === null) this.fail(`unexpected character ${JSON.stringify(char)}`);
    this.position = start + identifier[0].length;
    return this.symbolNode(identifier[0], at);
  }

  private symbolNode(name: string, at: string): RuleNode {
    if (name === 'true' || name === 'false') return { kind: 'boolean', value: name === 'true', at };
    if (name.startsWith('$') && name.length > 1) return { kind: 'context', key: name.slice(1), at };
    return { kind: 'symbol', name, at };
  }

  private numberOrTimestamp(token: string, start: number, at: string): RuleNode {
    if (INTEGER.test(token) || FLOAT.test(token)) {
      const value = Number(token);
      if (!Number.isFinite(value)) this.fail(`the number ${token} is out of range`, start);
      return { kind: 'number', value, at };
    }
    const value = parseW3cTimestamp(token);
    if (value === null) this.fail(`${JSON.stringify(token)} is neither a number nor a W3C timestamp`, start);
    return { kind: 'timestamp', value, text: token, at };
  }

  private sexp(depth: number, at: string): RuleNode {
    const start = this.position;
    this.position++;
    this.skipSpace();
    const head = this.value(depth + 1);
    if (head.kind !== 'symbol') this.fail('an expression must start with an operator name', start + 1);
    const args: RuleNode[] = [];
    const named: Record<string, RuleNode> = Object.create(null) as Record<string, RuleNode>;
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) this.fail(`"(" at character ${start + 1} is never closed`);
      if (this.text[this.position] === ')') {
        this.position++;
        return { kind: 'call', operator: head.name, args, named, at };
      }
      const argumentStart = this.position;
      const name = this.annotation();
      const argument = this.value(depth + 1);
      if (name === null) args.push(argument);
      else if (Object.hasOwn(named, name)) this.fail(`"${name}::" is given twice`, argumentStart);
      else named[name] = argument;
    }
  }

  /** `name::` before a value (Ion annotation), or null. */
  private annotation(): string | null {
    const start = this.position;
    let name: string | null = null;
    if (this.text[start] === "'") name = this.quotedSymbol();
    else {
      IDENTIFIER.lastIndex = start;
      const identifier = IDENTIFIER.exec(this.text);
      if (identifier !== null) {
        name = identifier[0];
        this.position = start + name.length;
      }
    }
    if (name !== null && this.text.startsWith('::', this.position)) {
      this.position += 2;
      this.skipSpace();
      return name;
    }
    this.position = start;
    return null;
  }

  private list(depth: number, at: string): RuleNode {
    const start = this.position;
    this.position++;
    const items: RuleNode[] = [];
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) this.fail(`"[" at character ${start + 1} is never closed`);
      if (this.text[this.position] === ']') {
        this.position++;
        return { kind: 'list', items, at };
      }
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.position] === ',') this.position++;
    }
  }

  private string(): string {
    const start = this.position;
    let result = '';
    this.position++;
    for (;;) {
      if (this.atEnd()) this.fail('a string is never closed', start);
      const char = this.text[this.position++];
      if (char === '"') return result;
      if (char !== '\\') {
        result += char;
        continue;
      }
      const escape = this.text[this.position++];
      if (escape === 'u') {
        const hex = this.text.slice(this.position, this.position + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('a \\u escape needs four hex digits', this.position - 2);
        result += String.fromCharCode(parseInt(hex, 16));
        this.position += 4;
      } else if (escape !== undefined && ESCAPES[escape] !== undefined) result += ESCAPES[escape];
      else this.fail(`unknown escape \\${escape ?? ''}`, this.position - 2);
    }
  }

  private quotedSymbol(): string {
    const start = this.position;
    const end = this.text.indexOf("'", start + 1);
    if (end === -1) this.fail('a quoted symbol is never closed', start);
    this.position = end + 1;
    return this.text.slice(start + 1, end);
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  "'": "'",
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
};
