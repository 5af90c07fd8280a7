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
