import { asText, isMissing } from './operands';

export const APPCONFIG_BEGINS_WITH = 'appconfig_begins_with';

/**
 * `(begins_with $state "A")`: the value begins with the given text (numbers and booleans as written); null (unknown) when the
 * value is not provided, false when it is not text.
 *
 * @example (begins_with $state "A") with state "Alabama" → true
 */
export function appconfigBeginsWith(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const [value, affix] = args as unknown[];
  if (isMissing(value) || isMissing(affix)) return null;
  const text = asText(value);
  const part = asText(affix);
  return text !== null && part !== null && text.startsWith(part);
}
