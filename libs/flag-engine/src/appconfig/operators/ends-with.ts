import { asText, isMissing } from './operands';

export const APPCONFIG_ENDS_WITH = 'appconfig_ends_with';

/**
 * `(ends_with $email "amazon.com")`: the value ends with the given text (numbers and booleans as written); null (unknown) when the
 * value is not provided, false when it is not text.
 *
 * @example (ends_with $email "amazon.com") with email "jo@amazon.com" → true
 */
export function appconfigEndsWith(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const [value, affix] = args as unknown[];
  if (isMissing(value) || isMissing(affix)) return null;
  const text = asText(value);
  const part = asText(affix);
  return text !== null && part !== null && text.endsWith(part);
}
