import type { AppConfigOperatorDescriptor } from './descriptor';
import type { RuleClosure } from './descriptor';
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

/** Short-circuits: the first false operand ends it (the same three-valued answer as appconfigAnd). */
function andClosure(parts: readonly RuleClosure[]): RuleClosure {
  return (context) => {
    let unknown = false;
    for (let i = 0; i < parts.length; i++) {
      const value = parts[i](context);
      if (value === false) return false;
      if (value !== true) unknown = true;
    }
    return unknown ? null : true;
  };
}

export const and: AppConfigOperatorDescriptor = {
  ruleName: 'and',
  operands: 'logical',
  name: APPCONFIG_AND,
  evaluate: appconfigAnd,
  deterministic: true,
  closure: andClosure,
  flagd: (args, rules) => {
    const parts = args.map((arg) => rules.truth(arg));
    return { isTrue: { and: parts.map((p) => p.isTrue) }, isFalse: { or: parts.map((p) => p.isFalse) } };
  },
};
