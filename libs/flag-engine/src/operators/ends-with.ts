export const ENDS_WITH = 'ends_with';

/**
 * `{"ends_with": [value, suffix]}` — exactly two strings, else null (so the rule falls to the default variant).
 *
 * @example {"ends_with": [{"var": "email"}, "@example.com"]} with email "ann@example.com" → true
 */
export function endsWith(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const [value, suffix] = args as unknown[];
  if (typeof value !== 'string' || typeof suffix !== 'string') return null;
  return value.endsWith(suffix);
}
