import type { AppConfigOperatorDescriptor } from './descriptor';
import type { RuleClosure } from './descriptor';
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

/** Short-circuits: the first true operand ends it (the same three-valued answer as appconfigOr). */
function orClosure(parts: readonly RuleClosure[]): RuleClosure {
  return (context) => {
    let unknown = false;
    for (let i = 0; i < parts.length; i++) {
      const value = parts[i](context);
      if (value === true) return true;
      if (value !== false) unknown = true;
    }
    return unknown ? null : false;
  };
}

export const or: AppConfigOperatorDescriptor = {
  ruleName: 'or',
  operands: 'logical',
  name: APPCONFIG_OR,
  evaluate: appconfigOr,
  deterministic: true,
  closure: orClosure,
  flagd: (args, rules) => {
    const parts = args.map((arg) => rules.truth(arg));
    return { isTrue: { or: parts.map((p) => p.isTrue) }, isFalse: { and: parts.map((p) => p.isFalse) } };
  },
};
