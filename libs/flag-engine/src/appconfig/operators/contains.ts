import type { AppConfigOperatorDescriptor } from './descriptor';
import { textTestTruth } from '../flagd/text-test';
import { asText, compareOperands } from './operands';

export const APPCONFIG_CONTAINS = 'appconfig_contains';

/**
 * `(contains $promoCode "WIN")`: the value contains the given text; when the value is a list (an OFREP context
 * array), whether one of its elements equals the given operand. Null (unknown) when not provided.
 *
 * @example (contains $promoCode "WIN") with promoCode "WINTER24" → true
 */
export function appconfigContains(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const value: unknown = args[0];
  const part: unknown = args[1];
  if (value === null || value === undefined || part === null || part === undefined) return null;
  if (Array.isArray(value)) return value.some((item) => compareOperands(item, part) === 0);
  const text = typeof value === 'string' ? value : asText(value);
  const needle = typeof part === 'string' ? part : asText(part);
  return text !== null && needle !== null && text.includes(needle);
}

export const contains: AppConfigOperatorDescriptor = {
  ruleName: 'contains',
  operands: 'text',
  name: APPCONFIG_CONTAINS,
  evaluate: appconfigContains,
  deterministic: true,
  flagd: (args, rules) => textTestTruth('contains', args, rules),
};
