import type { AppConfigOperatorDescriptor } from './descriptor';
import { comparisonTruth } from '../flagd/comparison';
import { comparison } from './operands';

export const APPCONFIG_LTE = 'appconfig_lte';

/**
 * `(lte a b)`: a is less than or equal to b (numbers, timestamps, or strings in code-unit order); false when the two
 * cannot be compared, null (unknown) when an operand is not provided.
 *
 * @example (lte $age 65)
 */
export function appconfigLte(args: unknown): boolean | null {
  const sign = comparison(args);
  if (sign === undefined) return null;
  return sign !== null && sign <= 0;
}

export const lte: AppConfigOperatorDescriptor = {
  ruleName: 'lte',
  operands: 'comparison',
  name: APPCONFIG_LTE,
  evaluate: appconfigLte,
  deterministic: true,
  flagd: (args, rules) => comparisonTruth('lte', args, rules),
};
