import type { AppConfigOperatorDescriptor } from './descriptor';
import { comparisonTruth } from '../flagd/comparison';
import { comparison } from './operands';

export const APPCONFIG_GT = 'appconfig_gt';

/**
 * `(gt a b)`: a is greater than b (numbers, timestamps, or strings in code-unit order); false when the two
 * cannot be compared, null (unknown) when an operand is not provided.
 *
 * @example (gt $age 65)
 */
export function appconfigGt(args: unknown): boolean | null {
  const sign = comparison(args);
  if (sign === undefined) return null;
  return sign !== null && sign > 0;
}

export const gt: AppConfigOperatorDescriptor = {
  ruleName: 'gt',
  operands: 'comparison',
  name: APPCONFIG_GT,
  evaluate: appconfigGt,
  deterministic: true,
  flagd: (args, rules) => comparisonTruth('gt', args, rules),
};
