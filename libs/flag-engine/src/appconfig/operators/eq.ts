import type { AppConfigOperatorDescriptor } from './descriptor';
import { comparisonTruth } from '../flagd/comparison';
import { comparison } from './operands';

export const APPCONFIG_EQ = 'appconfig_eq';

/**
 * `(eq a b)`: true when equal after the operand conversions; null (unknown) when an operand is not provided.
 *
 * @example (eq $age 65) with the agent header `Context: age=65` → true (the string "65" meets a number)
 */
export function appconfigEq(args: unknown): boolean | null {
  // Fast path: the same primitive (the usual match), or two different strings (the usual miss).
  if (Array.isArray(args) && args.length === 2) {
    const a: unknown = args[0];
    const b: unknown = args[1];
    if (typeof a === 'string' && typeof b === 'string') return a === b;
  }
  const sign = comparison(args);
  return sign === undefined ? null : sign === 0;
}

export const eq: AppConfigOperatorDescriptor = {
  ruleName: 'eq',
  operands: 'comparison',
  name: APPCONFIG_EQ,
  evaluate: appconfigEq,
  deterministic: true,
  flagd: (args, rules) => comparisonTruth('eq', args, rules),
};
