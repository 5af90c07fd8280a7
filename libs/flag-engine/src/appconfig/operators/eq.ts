import { comparison } from './operands';

export const APPCONFIG_EQ = 'appconfig_eq';

/**
 * `(eq a b)`: true when equal after the operand conversions; null (unknown) when an operand is not provided.
 *
 * @example (eq $age 65) with the agent header `Context: age=65` → true (the string "65" meets a number)
 */
export function appconfigEq(args: unknown): boolean | null {
  const sign = comparison(args);
  return sign === undefined ? null : sign === 0;
}
