import type { JsonValue } from '../../model';
import type { FlagdRules } from '../operators/descriptor';
import { asBoolean, asNumber } from '../operators/operands';

/**
 * A rule's three-valued truth in standard JSON Logic: `isTrue` is truthy exactly when flagfleet's rule is true,
 * `isFalse` exactly when it is false; neither is the engine's unknown (a missing context key), which `not`, `and`
 * and `or` propagate as the engine does.
 */
export interface Truth {
  readonly isTrue: JsonValue;
  readonly isFalse: JsonValue;
}

/** A rule with no exact standard equivalent: the flag keeps the engine's `appconfig_*` targeting. */
export class Untranslatable extends Error {}

export const NO = (why: string): never => {
  throw new Untranslatable(why);
};

export type Literal = string | number | boolean;
/** `defined`: the operator's answer when the context value `x` is there (not null); a JSON Logic boolean. */
export type Defined = (x: JsonValue, literal: Literal, varFirst: boolean) => JsonValue;

/** A two-operand rule between one context value and one literal: unknown when the value is missing. */
export function leaf(args: readonly JsonValue[], rules: FlagdRules, defined: Defined): Truth {
  if (args.length !== 2) return NO('a comparison without two operands');
  const [left, right] = args;
  const varFirst = contextKey(left) !== undefined;
  const x = varFirst ? left : right;
  const literal = varFirst ? right : left;
  if (contextKey(x) === undefined || !isLiteral(literal)) return NO(rules.operandProblem(x, literal));
  return known([x], defined(x, literal, varFirst));
}

/** `defined` when every one of `values` is present; unknown (neither true nor false) otherwise. */
export function known(values: readonly JsonValue[], defined: JsonValue): Truth {
  const present = values.map((x) => ({ '!==': [x, null] }));
  if (present.length === 0) return { isTrue: defined, isFalse: { '!': [defined] } };
  return { isTrue: { and: [...present, defined] }, isFalse: { and: [...present, { '!': [defined] }] } };
}

/** A literal text that reads neither as a number nor as a boolean (so no coercion applies to it). */
export function inertText(literal: Literal): literal is string {
  return typeof literal === 'string' && asNumber(literal) === null && asBoolean(literal) === null;
}

export function isLiteral(value: JsonValue | undefined): value is Literal {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * The context key a `{"var": …}` operand reads, when flagd's `var` reads the same: the engine escapes `.`, `/`
 * and `\` to read flat keys, flagd reads dots as paths; `$flagd` is flagd's own property.
 */
export function contextKey(node: JsonValue | undefined): string | undefined {
  const key = node === undefined ? undefined : operatorArgs(node, 'var');
  if (typeof key !== 'string' || !plainKey(key)) return undefined;
  return key;
}

/** Why a rule's operands (context values and literals) have no flagd equivalent. */
export function operandProblem(x: JsonValue, other: JsonValue): string {
  for (const node of [x, other]) {
    const key = operatorArgs(node, 'var');
    if (typeof key === 'string' && !plainKey(key)) return keyProblem(key);
  }
  if (contextKey(x) !== undefined && contextKey(other) !== undefined)
    return 'a text operator between two context values';
  return 'operands with no flagd equivalent';
}

export function keyProblem(key: JsonValue): string {
  return `the context key ${JSON.stringify(key)}: flagd reads "." as a path and keeps "$flagd" for itself`;
}

export function plainKey(key: string): boolean {
  return key !== '' && !/[\\./]/.test(key) && !key.startsWith('$flagd');
}

/** The arguments of a one-operator JSON Logic node `{"operator": args}`, or undefined. */
export function operatorArgs(node: JsonValue, operator: string): JsonValue | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 && keys[0] === operator ? node[operator] : undefined;
}
