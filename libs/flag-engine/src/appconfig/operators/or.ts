export const APPCONFIG_OR = 'appconfig_or';

/**
 * `(or e1 e2 ...)` in three-valued logic: true if any operand is true, else unknown (null) if any is unknown,
 * else false.
 *
 * @example (or (eq $state "Virginia") (gt $age 65))
 */
export function appconfigOr(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length === 0) return null;
  let unknown = false;
  for (const value of args as unknown[]) {
    if (value === true) return true;
    if (value !== false) unknown = true;
  }
  return unknown ? null : false;
}
