import { comparison } from './operands';

export const APPCONFIG_GTE = 'appconfig_gte';

/**
 * `(gte a b)`: a is greater than or equal to b (numbers, timestamps, or strings in code-unit order); false when the two
 * cannot be compared, null (unknown) when an operand is not provided.
 *
 * @example (gte $age 65)
 */
export function appconfigGte(args: unknown): boolean | null {
  const sign = comparison(args);
  if (sign === undefined) return null;
  return sign !== null && sign >= 0;
}
