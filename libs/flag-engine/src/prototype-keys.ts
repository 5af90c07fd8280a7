/** Keys through which data access reaches prototypes or constructors: never read from contexts, never copied. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
