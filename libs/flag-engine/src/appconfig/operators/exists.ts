import type { AppConfigOperatorDescriptor } from './descriptor';
import { keyProblem, NO, plainKey } from '../flagd/truth';
import { isMissing } from './operands';

export const APPCONFIG_EXISTS = 'appconfig_exists';

/**
 * `(exists key::"country")`: the caller provided a value for that context key (its own property, not null).
 * Reads the context itself, so it is never "unknown".
 *
 * @example (exists key::"opted_in_to_beta") with the header `Context: opted_in_to_beta=false` → true
 */
export function appconfigExists(args: unknown, context: unknown): boolean {
  const key: unknown = Array.isArray(args) ? args[0] : args;
  if (typeof key !== 'string' || context === null || typeof context !== 'object') return false;
  return Object.hasOwn(context, key) && !isMissing((context as Record<string, unknown>)[key]);
}

export const exists: AppConfigOperatorDescriptor = {
  ruleName: 'exists',
  operands: 'exists',
  name: APPCONFIG_EXISTS,
  evaluate: appconfigExists,
  // Reads the context itself: never folded.
  deterministic: false,
  flagd: (args) => {
    const key = args[0];
    if (typeof key !== 'string' || !plainKey(key)) return NO(keyProblem(key));
    // Never unknown: a key is there (not null) or it is not.
    return { isTrue: { '!==': [{ var: key }, null] }, isFalse: { '===': [{ var: key }, null] } };
  },
};
