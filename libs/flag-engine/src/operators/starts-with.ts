export const STARTS_WITH = 'starts_with';

/**
 * `{"starts_with": [value, prefix]}` — exactly two strings, else null (so the rule falls to the default variant).
 *
 * @example {"starts_with": [{"var": "id"}, "abc"]} with id "abcdef" → true
 */
export function startsWith(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const [value, prefix] = args as unknown[];
  if (typeof value !== 'string' || typeof prefix !== 'string') return null;
  return value.startsWith(prefix);
}
