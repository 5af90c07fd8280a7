import type { AppConfigOperatorDescriptor } from './descriptor';
export const APPCONFIG_NOT = 'appconfig_not';

/**
 * `(not e)`: reverses true and false; unknown stays unknown, so a rule about a key that was not provided
 * never matches, negated or not.
 *
 * @example (not (eq $state "Virginia"))
 */
export function appconfigNot(args: unknown): boolean | null {
  const value: unknown = Array.isArray(args) ? args[0] : args;
  return value === true ? false : value === false ? true : null;
}

export const not: AppConfigOperatorDescriptor = {
  ruleName: 'not',
  operands: 'not',
  name: APPCONFIG_NOT,
  evaluate: appconfigNot,
  deterministic: true,
  flagd: (args, rules) => {
    const inner = rules.truth(args[0] ?? null);
    return { isTrue: inner.isFalse, isFalse: inner.isTrue };
  },
};
