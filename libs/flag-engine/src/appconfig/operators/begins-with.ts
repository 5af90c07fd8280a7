import type { AppConfigOperatorDescriptor } from './descriptor';
import { textTestTruth } from '../flagd/text-test';
import { asText } from './operands';

export const APPCONFIG_BEGINS_WITH = 'appconfig_begins_with';

/**
 * `(begins_with $state "A")`: the value begins with the given text (numbers and booleans as written); null (unknown) when the
 * value is not provided, false when it is not text.
 *
 * @example (begins_with $state "A") with state "Alabama" → true
 */
export function appconfigBeginsWith(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const value: unknown = args[0];
  const affix: unknown = args[1];
  if (value === null || value === undefined || affix === null || affix === undefined) return null;
  const text = typeof value === 'string' ? value : asText(value);
  const part = typeof affix === 'string' ? affix : asText(affix);
  return text !== null && part !== null && text.startsWith(part);
}

export const beginsWith: AppConfigOperatorDescriptor = {
  ruleName: 'begins_with',
  operands: 'text',
  name: APPCONFIG_BEGINS_WITH,
  evaluate: appconfigBeginsWith,
  deterministic: true,
  flagd: (args, rules) => textTestTruth('begins_with', args, rules),
};
