/**
 * How AppConfig rule operands compare. Context values arrive typed from OFREP (JSON) and as strings from the
 * agent's `Context: key=value` headers, so a string meets a number as a number when it reads as one, and meets a
 * boolean as a boolean when it is "true"/"false". Timestamps are compared as Unix milliseconds (the compiler
 * converts both sides). Null and undefined mean "not provided".
 */

const NUMERIC = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

export function isMissing(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/** A number read from a number or a numeric string; null otherwise. */
export function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return null;
}

/** A boolean read from a boolean or "true"/"false"; null otherwise. */
export function asBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/** The text a string operator works on: strings as they are, numbers and booleans as written; null otherwise. */
export function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** Sign of a − b (-1, 0, 1), or null when the two cannot be compared (different types that do not convert). */
export function compareOperands(a: unknown, b: unknown): number | null {
  if (a === b) return typeof a === 'object' ? null : 0;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'string' && tb === 'string') return (a as string) < (b as string) ? -1 : 1;
  if (ta === 'number' || tb === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    return x === null || y === null ? null : Math.sign(x - y);
  }
  if (ta === 'boolean' || tb === 'boolean') {
    const x = asBoolean(a);
    const y = asBoolean(b);
    return x === null || y === null ? null : x === y ? 0 : x ? 1 : -1;
  }
  return null;
}

/** The two operands of a comparison: null (unknown) when either is not provided, else the comparison sign. */
export function comparison(args: unknown): number | null | undefined {
  if (!Array.isArray(args) || args.length !== 2) return undefined;
  const a: unknown = args[0];
  const b: unknown = args[1];
  if (isMissing(a) || isMissing(b)) return undefined;
  return compareOperands(a, b);
}
