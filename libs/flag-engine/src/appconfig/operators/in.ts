import type { AppConfigOperatorDescriptor } from './descriptor';
import type { JsonValue } from '../../model';
import { readsAsNumber } from '../flagd/comparison';
import { contextKey, isLiteral, known, NO, operatorArgs } from '../flagd/truth';
import { asBoolean, asNumber } from './operands';

export const APPCONFIG_IN = 'appconfig_in';

/** A constant `in` list by kind, with the numbers and booleans its strings read as. */
export interface ListMembers {
  readonly strings: ReadonlySet<string>;
  readonly numbers: ReadonlySet<number>;
  /** Numeric list strings, read as numbers: a numeric context value finds "123" in ["123", "456"]. */
  readonly numericStrings: ReadonlySet<number>;
  readonly booleans: ReadonlySet<boolean>;
}

// The compiler passes each constant list as one preserved array: its lookup sets are built once per list.
const membersOf = new WeakMap<readonly unknown[], ListMembers>();

export function listMembers(list: readonly unknown[]): ListMembers {
  let found = membersOf.get(list);
  if (found === undefined) {
    const strings = new Set<string>();
    const numbers = new Set<number>();
    const numericStrings = new Set<number>();
    const booleans = new Set<boolean>();
    for (const item of list) {
      if (typeof item === 'string') {
        strings.add(item);
        const number = asNumber(item);
        if (number !== null) numericStrings.add(number);
        const boolean = asBoolean(item);
        if (boolean !== null) booleans.add(boolean);
      } else if (typeof item === 'number') numbers.add(item);
      else if (typeof item === 'boolean') booleans.add(item);
    }
    found = { strings, numbers, numericStrings, booleans };
    membersOf.set(list, found);
  }
  return found;
}

/**
 * `(in $userId ["123", "456"])`: the value is one of the listed constants, with the operand conversions of
 * `eq` (a number meets a numeric string); a set lookup, whatever the list's length. Null (unknown) when the value
 * is not provided.
 *
 * @example (in $country ["DE", "AT", "CH"]) with country "AT" → true
 */
export function appconfigIn(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const value: unknown = args[0];
  const list: unknown = args[1];
  if (value === null || value === undefined) return null;
  if (!Array.isArray(list)) return false;
  const { strings, numbers, numericStrings, booleans } = listMembers(list);
  if (typeof value === 'string') {
    if (strings.has(value)) return true;
    // Conversions only where the list holds numbers or booleans (a list of strings, the usual one, needs none).
    if (numbers.size > 0) {
      const number = asNumber(value);
      if (number !== null && numbers.has(number)) return true;
    }
    if (booleans.size === 0) return false;
    const boolean = asBoolean(value);
    return boolean !== null && booleans.has(boolean);
  }
  if (typeof value === 'number') return numbers.has(value) || numericStrings.has(value);
  if (typeof value === 'boolean') return booleans.has(value);
  return false;
}

export const inList: AppConfigOperatorDescriptor = {
  ruleName: 'in',
  operands: 'list',
  name: APPCONFIG_IN,
  evaluate: appconfigIn,
  deterministic: true,
  /**
   * A string is in the list when listed (or "true"/"false" for a listed boolean) or when it reads as a listed
   * number, a number when listed or when a listed string reads as it, a boolean when listed or read: one strict
   * JSON Logic `in` over those values, and one over the listed numbers for strings that read as numbers.
   */
  flagd: (args, rules) => {
    const [x, list] = args;
    const items = operatorArgs(list ?? null, 'preserve');
    if (args.length !== 2 || contextKey(x) === undefined || !Array.isArray(items))
      return NO(x === undefined ? '`in` without a value' : rules.operandProblem(x, list ?? null));
    if (!items.every(isLiteral)) return NO('`in` a list with other than strings, numbers and booleans');
    const { strings, numbers, numericStrings, booleans } = listMembers(items);
    const texts = new Set([...strings, ...[...booleans].map(String)]);
    const readNumbers = new Set([...numericStrings, ...numbers].filter(Number.isFinite));
    const listed: JsonValue = { in: [x, [...texts, ...readNumbers, ...booleans]] };
    if (numbers.size === 0) return known([x], listed);
    const read = { and: [readsAsNumber(x), { in: [{ '+': [x] }, [...numbers]] }] };
    return known([x], { or: [listed, read] });
  },
};
