export const APPCONFIG_AND = 'appconfig_and';

/**
 * `(and e1 e2 ...)` in three-valued logic: false if any operand is false, else unknown (null) if any is unknown,
 * else true. Unknown comes from a context key that was not provided; a rule that ends unknown does not match.
 *
 * @example (and (eq $state "Virginia") (gt $age 65))
 */
export function appconfigAnd(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length === 0) return null;
  let unknown = false;
  for (const value of args as unknown[]) {
    if (value === false) return false;
    if (value !== true) unknown = true;
  }
  return unknown ? null : true;
}
