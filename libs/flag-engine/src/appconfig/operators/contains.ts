import { asText, compareOperands, isMissing } from './operands';

export const APPCONFIG_CONTAINS = 'appconfig_contains';

/**
 * `(contains $promoCode "WIN")`: the value contains the given text; when the value is a list (an OFREP context
 * array), whether one of its elements equals the given operand. Null (unknown) when not provided.
 *
 * @example (contains $promoCode "WIN") with promoCode "WINTER24" → true
 */
export function appconfigContains(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const [value, part] = args as unknown[];
  if (isMissing(value) || isMissing(part)) return null;
  if (Array.isArray(value)) return value.some((item) => compareOperands(item, part) === 0);
  const text = asText(value);
  const needle = asText(part);
  return text !== null && needle !== null && text.includes(needle);
}
