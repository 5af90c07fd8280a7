import { asBoolean, asNumber, splitWeights, type JsonValue } from '@flagfleet/flag-engine';

/**
 * A rule's three-valued truth in standard JSON Logic: `isTrue` is truthy exactly when flagfleet's rule is true,
 * `isFalse` exactly when it is false; neither is the engine's unknown (a missing context key), which `not`, `and`
 * and `or` propagate as the engine does.
 */
interface Truth {
  readonly isTrue: JsonValue;
  readonly isFalse: JsonValue;
}

/** A rule with no exact standard equivalent: the flag keeps the engine's `appconfig_*` targeting. */
class Untranslatable extends Error {}

const NO = (): never => {
  throw new Untranslatable();
};

/**
 * An AppConfig multi-variant flag's targeting (`{"if": [rule1, "A", rule2, "B", …, null]}` with `appconfig_*`
 * operators, see libs/flag-engine/src/appconfig/rules/compile-rule.ts) in flagd's standard JSON Logic, when every
 * rule has an exact equivalent for JSON context values; `undefined` otherwise. docs/flagd.md lists the rules.
 */
export function flagdTargeting(targeting: JsonValue): JsonValue | undefined {
  const branches = operatorArgs(targeting, 'if');
  if (!Array.isArray(branches) || branches.length % 2 !== 1 || branches[branches.length - 1] !== null)
    return undefined;
  try {
    const out: JsonValue[] = [];
    for (let i = 0; i + 1 < branches.length; i += 2) out.push(truth(branches[i]).isTrue, branches[i + 1]);
    return { if: [...out, null] };
  } catch (error) {
    if (error instanceof Untranslatable) return undefined;
    throw error;
  }
}

function truth(node: JsonValue): Truth {
  if (typeof node === 'boolean') return { isTrue: node, isFalse: !node };
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return NO();
  const [operator, ...rest] = Object.keys(node);
  const args = node[operator];
  if (rest.length > 0 || !Array.isArray(args)) return NO();
  switch (operator) {
    case 'appconfig_and': {
      const parts = args.map(truth);
      return { isTrue: { and: parts.map((p) => p.isTrue) }, isFalse: { or: parts.map((p) => p.isFalse) } };
    }
    case 'appconfig_or': {
      const parts = args.map(truth);
      return { isTrue: { or: parts.map((p) => p.isTrue) }, isFalse: { and: parts.map((p) => p.isFalse) } };
    }
    case 'appconfig_not': {
      const inner = truth(args[0] ?? null);
      return { isTrue: inner.isFalse, isFalse: inner.isTrue };
    }
    case 'appconfig_exists': {
      const key = args[0];
      if (typeof key !== 'string' || !plainKey(key)) return NO();
      // Never unknown: a key is there (not null) or it is not.
      return { isTrue: { '!==': [{ var: key }, null] }, isFalse: { '===': [{ var: key }, null] } };
    }
    case 'appconfig_eq':
      return leaf(args, equals);
    case 'appconfig_gt':
    case 'appconfig_gte':
    case 'appconfig_lt':
    case 'appconfig_lte':
      return leaf(args, (x, literal, varFirst) => textOrder(operator, x, literal, varFirst));
    case 'appconfig_begins_with':
      return leaf(args, (x, literal, varFirst) => affix('starts_with', x, literal, varFirst));
    case 'appconfig_ends_with':
      return leaf(args, (x, literal, varFirst) => affix('ends_with', x, literal, varFirst));
    case 'appconfig_contains':
      return leaf(args, contains);
    case 'appconfig_in':
      return membership(args);
    case 'appconfig_split':
      return split(args);
    default:
      // appconfig_matches (JavaScript regular expressions), timestamps, anything else.
      return NO();
  }
}

type Literal = string | number | boolean;
/** `defined`: the operator's answer when the context value `x` is there (not null); a JSON Logic boolean. */
type Defined = (x: JsonValue, literal: Literal, varFirst: boolean) => JsonValue;

/** A two-operand rule between one context value and one literal: unknown when the value is missing. */
function leaf(args: readonly JsonValue[], defined: Defined): Truth {
  if (args.length !== 2) return NO();
  const [left, right] = args;
  const varFirst = contextKey(left) !== undefined;
  const x = varFirst ? left : right;
  const literal = varFirst ? right : left;
  if (contextKey(x) === undefined || !isLiteral(literal)) return NO();
  return known(x, defined(x, literal, varFirst));
}

function known(x: JsonValue, defined: JsonValue): Truth {
  const present = { '!==': [x, null] };
  return { isTrue: { and: [present, defined] }, isFalse: { and: [present, { '!': [defined] }] } };
}

/**
 * `eq` with a string or boolean literal (operands.ts): a string equals the literal text, a number equals a numeric
 * literal's number, a boolean equals a "true"/"false" literal. A number literal would also equal every string that
 * reads as it ("65", "65.0", " 6.5e1"), which JSON Logic cannot test: not translated.
 */
function equals(x: JsonValue, literal: Literal): JsonValue {
  if (typeof literal === 'number') return NO();
  if (typeof literal === 'boolean') return { or: [{ '===': [x, literal] }, { '===': [x, String(literal)] }] };
  const options: JsonValue[] = [{ '===': [x, literal] }];
  const number = asNumber(literal);
  if (number !== null && Number.isFinite(number)) options.push({ '===': [x, number] });
  const boolean = asBoolean(literal);
  if (boolean !== null) options.push({ '===': [x, boolean] });
  return { or: options };
}

const ORDER: Readonly<Record<string, string>> = {
  appconfig_gt: '>',
  appconfig_gte: '>=',
  appconfig_lt: '<',
  appconfig_lte: '<=',
};

/**
 * An order comparison with a literal that reads neither as a number nor as a boolean compares strings in
 * code-unit order and is false for any other type; numeric and boolean literals coerce strings: not translated.
 */
function textOrder(operator: string, x: JsonValue, literal: Literal, varFirst: boolean): JsonValue {
  if (!inertText(literal)) return NO();
  return { and: [isString(x), { [ORDER[operator]]: varFirst ? [x, literal] : [literal, x] }] };
}

/**
 * `begins_with` / `ends_with` a literal text: flagfleet also matches numbers and booleans as written (12345 begins
 * with "12"), flagd's operators strings only; the same for every value when the literal cannot occur in a number
 * or boolean's text.
 */
function affix(operator: string, x: JsonValue, literal: Literal, varFirst: boolean): JsonValue {
  if (!varFirst || !textOnly(literal)) return NO();
  return { and: [isString(x), { [operator]: [x, literal] }] };
}

/** `contains` a literal: a substring of a string, or an element of a list (`merge` makes any value a list). */
function contains(x: JsonValue, literal: Literal, varFirst: boolean): JsonValue {
  if (!varFirst || !textOnly(literal) || !inertText(literal)) return NO();
  return { or: [{ and: [isString(x), { in: [literal, x] }] }, { in: [literal, { merge: [x] }] }] };
}

/**
 * `in` a constant list of strings and booleans (appconfig/operators/in.ts): a string is in it when listed (or
 * "true"/"false" for a listed boolean), a number when a listed string reads as it, a boolean when listed or read.
 * One strict JSON Logic `in` over all those values; a list with numbers would match strings that read as them.
 */
function membership(args: readonly JsonValue[]): Truth {
  const [x, list] = args;
  const items = operatorArgs(list ?? null, 'preserve');
  if (args.length !== 2 || contextKey(x) === undefined || !Array.isArray(items)) return NO();
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const booleans = new Set<boolean>();
  for (const item of items) {
    if (typeof item === 'string') {
      strings.add(item);
      const number = asNumber(item);
      if (number !== null && Number.isFinite(number)) numbers.add(number);
      const boolean = asBoolean(item);
      if (boolean !== null) booleans.add(boolean);
    } else if (typeof item === 'boolean') booleans.add(item);
    else return NO();
  }
  for (const boolean of booleans) strings.add(String(boolean));
  return known(x, { in: [x, [...strings, ...numbers, ...booleans]] });
}

/**
 * `split` as flagd's `fractional` over the same bucketing string and integer weights the engine uses
 * (appconfig/operators/split.ts): identical buckets for every string, number and boolean value.
 */
function split(args: readonly JsonValue[]): Truth {
  const [pct, x, seed, flagKey] = args;
  if (typeof pct !== 'number' || contextKey(x) === undefined || typeof flagKey !== 'string') return NO();
  if (seed !== null && typeof seed !== 'string') return NO();
  const { inWeight, totalWeight } = splitWeights(pct);
  const bucket = {
    fractional: [{ cat: [seed ?? flagKey, x] }, ['in', inWeight], ['out', totalWeight - inWeight]],
  };
  return known(x, { '===': [bucket, 'in'] });
}

/** True only for a string (`cat` of anything else is a different value): guards string-only operators. */
function isString(x: JsonValue): JsonValue {
  return { '===': [{ cat: [x] }, x] };
}

/** A literal text that reads neither as a number nor as a boolean (so no coercion applies to it). */
function inertText(literal: Literal): literal is string {
  return typeof literal === 'string' && asNumber(literal) === null && asBoolean(literal) === null;
}

/** A literal text that no number's or boolean's text can contain (a character outside 0-9 . e + -, not in "true"/"false"). */
function textOnly(literal: Literal): literal is string {
  return (
    typeof literal === 'string' &&
    /[^0-9.e+-]/.test(literal) &&
    !'true'.includes(literal) &&
    !'false'.includes(literal)
  );
}

function isLiteral(value: JsonValue | undefined): value is Literal {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * The context key a `{"var": …}` operand reads, when flagd's `var` reads the same: the engine escapes `.`, `/`
 * and `\` to read flat keys, flagd reads dots as paths; `$flagd` is flagd's own property.
 */
function contextKey(node: JsonValue | undefined): string | undefined {
  const key = node === undefined ? undefined : operatorArgs(node, 'var');
  if (typeof key !== 'string' || !plainKey(key)) return undefined;
  return key;
}

function plainKey(key: string): boolean {
  return key !== '' && !/[\\./]/.test(key) && !key.startsWith('$flagd');
}

/** The arguments of a one-operator JSON Logic node `{"operator": args}`, or undefined. */
function operatorArgs(node: JsonValue, operator: string): JsonValue | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 && keys[0] === operator ? node[operator] : undefined;
}
