import type { AppConfigOperatorDescriptor } from './descriptor';
import { comparisonTruth } from '../flagd/comparison';
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

export const gte: AppConfigOperatorDescriptor = {
  ruleName: 'gte',
  operands: 'comparison',
  name: APPCONFIG_GTE,
  evaluate: appconfigGte,
  deterministic: true,
  flagd: (args, rules) => comparisonTruth('gte', args, rules),
};
