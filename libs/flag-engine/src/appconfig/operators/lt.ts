import type { AppConfigOperatorDescriptor } from './descriptor';
import { comparisonTruth } from '../flagd/comparison';
import { comparison } from './operands';

export const APPCONFIG_LT = 'appconfig_lt';

/**
 * `(lt a b)`: a is less than b (numbers, timestamps, or strings in code-unit order); false when the two
 * cannot be compared, null (unknown) when an operand is not provided.
 *
 * @example (lt $age 65)
 */
export function appconfigLt(args: unknown): boolean | null {
  const sign = comparison(args);
  if (sign === undefined) return null;
  return sign !== null && sign < 0;
}

export const lt: AppConfigOperatorDescriptor = {
  ruleName: 'lt',
  operands: 'comparison',
  name: APPCONFIG_LT,
  evaluate: appconfigLt,
  deterministic: true,
  flagd: (args, rules) => comparisonTruth('lt', args, rules),
};
