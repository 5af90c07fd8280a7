import type { JsonValue } from '../../model';
import type { FlagdRules } from '../operators/descriptor';
import { asBoolean, asNumber } from '../operators/operands';
import { contextKey, isLiteral, known, NO, type Truth } from './truth';

/**
 * AppConfig's `eq`, `gt`, `gte`, `lt` and `lte` (the engine's compareOperands, operators/operands.ts) in
 * flagd's standard JSON Logic, between context values and literals alike: two strings compare as text, a number
 * meets a number or a string that reads as one, a boolean meets a boolean or "true"/"false"; anything else is
 * false. Each case is guarded by JSON Logic type tests; a literal's are known here and fold away.
 */

/** `eq`, `gt`, … between any mix of context values and literals: unknown when a context value is missing. */
export function comparisonTruth(kind: Comparison, args: readonly JsonValue[], rules: FlagdRules): Truth {
  if (args.length !== 2) return NO('a comparison without two operands');
  const againstContext = args.every((node) => contextKey(node) !== undefined);
  const [a, b] = args.map((node, i) => {
    if (contextKey(node) !== undefined) return contextOperand(node, againstContext);
    const operand = isLiteral(node) ? literalOperand(node) : undefined;
    return operand ?? NO(rules.operandProblem(node, args[1 - i]));
  });
  return known(
    args.filter((node) => contextKey(node) !== undefined),
    compare(kind, a, b),
  );
}

/** One side of a comparison, as JSON Logic: the tests of what it is and the expressions of what it reads as. */
interface Operand {
  readonly value: JsonValue;
  readonly isLiteral: boolean;
  readonly isString: JsonValue;
  /** A number (or, for a context value, a list or object: JSON Logic has no test that tells them apart). */
  readonly isNumber: JsonValue;
  /** A string that reads as a number, and that number. */
  readonly isNumeral: JsonValue;
  readonly numeral: JsonValue;
  readonly isBoolean: JsonValue;
  /** `true` or "true"; `false` or "false". */
  readonly readsTrue: JsonValue;
  readonly readsFalse: JsonValue;
}

export type Comparison = 'eq' | 'gt' | 'gte' | 'lt' | 'lte';

const OPERATOR: Readonly<Record<Comparison, string>> = { eq: '===', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/**
 * A context value's operand. Against a literal, flagd-core's comparisons fail on a list or object (an evaluation
 * error); between two context values its compiled comparisons read them as numbers (`[] < 5`), so there
 * `isNumber` also refuses lists and objects.
 */
export function contextOperand(x: JsonValue, againstContext: boolean): Operand {
  return {
    value: x,
    isLiteral: false,
    isString: isString(x),
    isNumber: againstContext ? isPlainNumber(x) : isNumber(x),
    isNumeral: readsAsNumber(x),
    numeral: { '+': [x] },
    isBoolean: { in: [x, [true, false]] },
    readsTrue: { in: [x, [true, 'true']] },
    readsFalse: { in: [x, [false, 'false']] },
  };
}

/** A literal's operand, or undefined for a numeric text JSON cannot carry as a number ("1e999"). */
export function literalOperand(literal: string | number | boolean): Operand | undefined {
  const number = typeof literal === 'string' ? asNumber(literal) : null;
  if (number !== null && !Number.isFinite(number)) return undefined;
  return {
    value: literal,
    isLiteral: true,
    isString: typeof literal === 'string',
    isNumber: typeof literal === 'number',
    isNumeral: number !== null,
    numeral: number,
    isBoolean: typeof literal === 'boolean',
    readsTrue: literal === true || asBoolean(literal) === true,
    readsFalse: literal === false || asBoolean(literal) === false,
  };
}

/** `a <comparison> b` as the engine answers it for present values; a JSON Logic boolean. */
export function compare(comparison: Comparison, a: Operand, b: Operand): JsonValue {
  const op = (left: JsonValue, right: JsonValue): JsonValue => ({ [OPERATOR[comparison]]: [left, right] });
  // With a literal, `===` alone is "the same string, or the same number" (two context values could be one list).
  const sameType =
    comparison === 'eq' && (a.isLiteral || b.isLiteral)
      ? [op(a.value, b.value)]
      : [
          all(a.isString, b.isString, op(a.value, b.value)),
          all(a.isNumber, b.isNumber, op(a.value, b.value)),
        ];
  return any(
    ...sameType,
    all(a.isNumber, b.isNumeral, op(a.value, b.numeral)),
    all(a.isNumeral, b.isNumber, op(a.numeral, b.value)),
    all(any(a.isBoolean, b.isBoolean), booleanOrder(comparison, a, b)),
  );
}

/** Booleans order false < true; a side that reads as neither compares as false. */
function booleanOrder(comparison: Comparison, a: Operand, b: Operand): JsonValue {
  const bReads = any(b.readsTrue, b.readsFalse);
  switch (comparison) {
    case 'eq':
      return any(all(a.readsTrue, b.readsTrue), all(a.readsFalse, b.readsFalse));
    case 'gt':
      return all(a.readsTrue, b.readsFalse);
    case 'lt':
      return all(a.readsFalse, b.readsTrue);
    case 'gte':
      return any(all(a.readsTrue, bReads), all(a.readsFalse, b.readsFalse));
    case 'lte':
      return any(all(a.readsFalse, bReads), all(a.readsTrue, b.readsTrue));
  }
}

/** JSON Logic `and`, with the constants of literal operands folded. */
function all(...parts: JsonValue[]): JsonValue {
  if (parts.includes(false)) return false;
  const rest = parts.filter((part) => part !== true);
  return rest.length === 0 ? true : rest.length === 1 ? rest[0] : { and: rest };
}

/** JSON Logic `or`, with the constants of literal operands folded. */
function any(...parts: JsonValue[]): JsonValue {
  if (parts.includes(true)) return true;
  const rest = parts.filter((part) => part !== false);
  return rest.length === 0 ? false : rest.length === 1 ? rest[0] : { or: rest };
}

/** True only for a string (`cat` of anything else is a different value): guards string-only operators. */
export function isString(x: JsonValue): JsonValue {
  return { '===': [{ cat: [x] }, x] };
}

/** True for a present number (or a list or object, which JSON Logic's number operators refuse: docs/flagd.md). */
function isNumber(x: JsonValue): JsonValue {
  return { and: [{ '!==': [x, null] }, { '!': [isString(x)] }, { '!': [{ in: [x, [true, false]] }] }] };
}

/**
 * True only for a number: its text reads back as itself, which a list's (`[5]` → "5" → 5) never does strictly;
 * a list of texts or an object makes `+` fail (an evaluation error, never a wrong answer).
 */
function isPlainNumber(x: JsonValue): JsonValue {
  return {
    and: [isNumber(x), { '!': [{ in: ['[object', { cat: [x] }] }] }, { '===': [{ '+': [{ cat: [x] }] }, x] }],
  };
}

const DIGITS = '0123456789';
// JavaScript's whitespace (`\s`, which Number() also trims): operands.ts's numeric texts may start or end with it.
const SPACES =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/**
 * A string that reads as a number as operands.ts reads it, once `{"+": [x]}` does not fail. JSON Logic's `+` is
 * JavaScript's Number() in flagd-core, which also reads blank texts (as 0), 0x/0b/0o integers and Infinity; each
 * is refused here (no digit, or an x, b or o). The first and last characters keep most other texts ("v2",
 * "tier1") off `+`, which throws for a text that does not read (an evaluation error, never another variant).
 */
export function readsAsNumber(x: JsonValue): JsonValue {
  return {
    and: [
      isString(x),
      { in: [{ substr: [x, 0, 1] }, `${DIGITS}+-.${SPACES}`] },
      // Ends in a digit (most numerals: one test), or in "." or a space and holds a digit somewhere.
      {
        or: [
          { in: [{ substr: [x, -1] }, [...DIGITS]] }, // a list: "" (of "") is in every text
          {
            and: [
              { in: [{ substr: [x, -1] }, `.${SPACES}`] },
              { or: [...DIGITS].map((digit) => ({ in: [digit, x] })) },
            ],
          },
        ],
      },
      ...[...'xXbBoO'].map((letter) => ({ '!': [{ in: [letter, x] }] })),
    ],
  };
}
