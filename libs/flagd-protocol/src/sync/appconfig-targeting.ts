import { asBoolean, asNumber, listMembers, splitWeights, type JsonValue } from '@flagfleet/flag-engine';
import {
  compare,
  contextOperand,
  isString,
  literalOperand,
  readsAsNumber,
  type Comparison,
} from './appconfig-comparison';

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

const NO = (why: string): never => {
  throw new Untranslatable(why);
};

/** A flag's targeting in flagd's standard JSON Logic, or why a rule of it has no exact equivalent. */
export type FlagdTranslation =
  { readonly ok: true; readonly targeting: JsonValue } | { readonly ok: false; readonly reason: string };

/**
 * An AppConfig multi-variant flag's targeting (`{"if": [rule1, "A", rule2, "B", …, null]}` with `appconfig_*`
 * operators, see libs/flag-engine/src/appconfig/rules/compile-rule.ts) in flagd's standard JSON Logic, when every
 * rule has an equivalent for JSON context values; otherwise why not. docs/flagd.md lists the rules.
 */
export function flagdTargeting(targeting: JsonValue): FlagdTranslation {
  const branches = operatorArgs(targeting, 'if');
  if (!Array.isArray(branches) || branches.length % 2 !== 1 || branches[branches.length - 1] !== null)
    return { ok: false, reason: 'targeting that is not a list of rules' };
  const out: JsonValue[] = [];
  for (let i = 0; i + 1 < branches.length; i += 2) {
    try {
      out.push(truth(branches[i]).isTrue, branches[i + 1]);
    } catch (error) {
      if (!(error instanceof Untranslatable)) throw error;
      return {
        ok: false,
        reason: `the rule of variant ${JSON.stringify(branches[i + 1])}: ${error.message}`,
      };
    }
  }
  return { ok: true, targeting: { if: [...out, null] } };
}

function truth(node: JsonValue): Truth {
  if (typeof node === 'boolean') return { isTrue: node, isFalse: !node };
  if (node === null || typeof node !== 'object' || Array.isArray(node))
    return NO('a rule that is not an operator');
  const [operator, ...rest] = Object.keys(node);
  const args = node[operator];
  if (rest.length > 0 || !Array.isArray(args)) return NO('a rule that is not an operator');
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
      if (typeof key !== 'string' || !plainKey(key)) return NO(keyProblem(key));
      // Never unknown: a key is there (not null) or it is not.
      return { isTrue: { '!==': [{ var: key }, null] }, isFalse: { '===': [{ var: key }, null] } };
    }
    case 'appconfig_eq':
    case 'appconfig_gt':
    case 'appconfig_gte':
    case 'appconfig_lt':
    case 'appconfig_lte':
      return comparison(operator.slice('appconfig_'.length) as Comparison, args);
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
      return NO(
        operator === 'appconfig_matches'
          ? '`matches`: flagd has no regular-expression operator'
          : `\`${operator}\` has no flagd equivalent`,
      );
  }
}

type Literal = string | number | boolean;
/** `defined`: the operator's answer when the context value `x` is there (not null); a JSON Logic boolean. */
type Defined = (x: JsonValue, literal: Literal, varFirst: boolean) => JsonValue;

/** A two-operand rule between one context value and one literal: unknown when the value is missing. */
function leaf(args: readonly JsonValue[], defined: Defined): Truth {
  if (args.length !== 2) return NO('a comparison without two operands');
  const [left, right] = args;
  const varFirst = contextKey(left) !== undefined;
  const x = varFirst ? left : right;
  const literal = varFirst ? right : left;
  if (contextKey(x) === undefined || !isLiteral(literal)) return NO(operandProblem(x, literal));
  return known([x], defined(x, literal, varFirst));
}

/** A comparison of context values and literals (appconfig-comparison.ts): unknown when a value is missing. */
function comparison(kind: Comparison, args: readonly JsonValue[]): Truth {
  if (args.length !== 2) return NO('a comparison without two operands');
  const againstContext = args.every((node) => contextKey(node) !== undefined);
  const [a, b] = args.map((node, i) => {
    if (contextKey(node) !== undefined) return contextOperand(node, againstContext);
    const operand = isLiteral(node) ? literalOperand(node) : undefined;
    return operand ?? NO(operandProblem(node, args[1 - i]));
  });
  return known(
    args.filter((node) => contextKey(node) !== undefined),
    compare(kind, a, b),
  );
}

function known(values: readonly JsonValue[], defined: JsonValue): Truth {
  const present = values.map((x) => ({ '!==': [x, null] }));
  if (present.length === 0) return { isTrue: defined, isFalse: { '!': [defined] } };
  return { isTrue: { and: [...present, defined] }, isFalse: { and: [...present, { '!': [defined] }] } };
}

/**
 * `begins_with` / `ends_with` a literal text: flagfleet also matches numbers and booleans as written (12345 begins
 * with "12"), flagd's operators strings only; the same for every value when the literal cannot occur in a number
 * or boolean's text.
 */
function affix(operator: string, x: JsonValue, literal: Literal, varFirst: boolean): JsonValue {
  if (!varFirst || !textOnly(literal)) return NO(textProblem(literal, varFirst));
  return { and: [isString(x), { [operator]: [x, literal] }] };
}

/** `contains` a literal: a substring of a string, or an element of a list (`merge` makes any value a list). */
function contains(x: JsonValue, literal: Literal, varFirst: boolean): JsonValue {
  if (!varFirst || !textOnly(literal) || !inertText(literal)) return NO(textProblem(literal, varFirst));
  return { or: [{ and: [isString(x), { in: [literal, x] }] }, { in: [literal, { merge: [x] }] }] };
}

/**
 * `in` a constant list (appconfig/operators/in.ts): a string is in it when listed (or "true"/"false" for a listed
 * boolean) or when it reads as a listed number, a number when listed or when a listed string reads as it, a
 * boolean when listed or read. One strict JSON Logic `in` over those values, and one over the listed numbers for
 * strings that read as numbers.
 */
function membership(args: readonly JsonValue[]): Truth {
  const [x, list] = args;
  const items = operatorArgs(list ?? null, 'preserve');
  if (args.length !== 2 || contextKey(x) === undefined || !Array.isArray(items))
    return NO(x === undefined ? '`in` without a value' : operandProblem(x, list ?? null));
  if (!items.every(isLiteral)) return NO('`in` a list with other than strings, numbers and booleans');
  const { strings, numbers, numericStrings, booleans } = listMembers(items);
  const texts = new Set([...strings, ...[...booleans].map(String)]);
  const readNumbers = new Set([...numericStrings, ...numbers].filter(Number.isFinite));
  const listed: JsonValue = { in: [x, [...texts, ...readNumbers, ...booleans]] };
  if (numbers.size === 0) return known([x], listed);
  const read = { and: [readsAsNumber(x), { in: [{ '+': [x] }, [...numbers]] }] };
  return known([x], { or: [listed, read] });
}

/**
 * `split` as flagd's `fractional` over the same bucketing string and integer weights the engine uses
 * (appconfig/operators/split.ts): identical buckets for every string, number and boolean value.
 */
function split(args: readonly JsonValue[]): Truth {
  const [pct, x, seed, flagKey] = args;
  if (
    typeof pct !== 'number' ||
    contextKey(x) === undefined ||
    typeof flagKey !== 'string' ||
    (seed !== null && typeof seed !== 'string')
  )
    return NO(x === undefined ? '`split` without `by`' : operandProblem(x, null));
  const { inWeight, totalWeight } = splitWeights(pct);
  const bucket = {
    fractional: [{ cat: [seed ?? flagKey, x] }, ['in', inWeight], ['out', totalWeight - inWeight]],
  };
  return known([x], { '===': [bucket, 'in'] });
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

/** Why a rule's operands have no flagd equivalent. */
function operandProblem(x: JsonValue, other: JsonValue): string {
  if (JSON.stringify([x, other]).includes('"appconfig_timestamp"'))
    return 'a timestamp comparison: flagd has no date operator';
  for (const node of [x, other]) {
    const key = operatorArgs(node, 'var');
    if (typeof key === 'string' && !plainKey(key)) return keyProblem(key);
  }
  if (contextKey(x) !== undefined && contextKey(other) !== undefined)
    return 'a text operator between two context values';
  return 'operands with no flagd equivalent';
}

function keyProblem(key: JsonValue): string {
  return `the context key ${JSON.stringify(key)}: flagd reads "." as a path and keeps "$flagd" for itself`;
}

function textProblem(literal: Literal, varFirst: boolean): string {
  if (!varFirst) return 'an affix or `contains` with the context value second';
  return `an affix or \`contains\` of ${JSON.stringify(literal)}, which a number's or boolean's text can hold`;
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
