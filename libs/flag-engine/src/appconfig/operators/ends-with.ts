import type { AppConfigOperatorDescriptor } from './descriptor';
import { textTestTruth } from '../flagd/text-test';
import { asText } from './operands';

export const APPCONFIG_ENDS_WITH = 'appconfig_ends_with';

/**
 * `(ends_with $email "amazon.com")`: the value ends with the given text (numbers and booleans as written); null (unknown) when the
 * value is not provided, false when it is not text.
 *
 * @example (ends_with $email "amazon.com") with email "jo@amazon.com" → true
 */
export function appconfigEndsWith(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const value: unknown = args[0];
  const affix: unknown = args[1];
  if (value === null || value === undefined || affix === null || affix === undefined) return null;
  const text = typeof value === 'string' ? value : asText(value);
  const part = typeof affix === 'string' ? affix : asText(affix);
  return text !== null && part !== null && text.endsWith(part);
}

export const endsWith: AppConfigOperatorDescriptor = {
  ruleName: 'ends_with',
  operands: 'text',
  name: APPCONFIG_ENDS_WITH,
  evaluate: appconfigEndsWith,
  deterministic: true,
  flagd: (args, rules) => textTestTruth('ends_with', args, rules),
};
