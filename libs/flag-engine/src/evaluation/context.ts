/** Bounds on caller contexts: deeper or larger ones are INVALID_CONTEXT, never a stack overflow or a stall. */
export const MAX_CONTEXT_DEPTH = 32;
export const MAX_CONTEXT_KEYS = 10_000;

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** The mutable `$flagd` object injected into the engine's own clone of the context. */
export interface FlagdProperties {
  flagKey: string;
  timestamp: number;
}

export type TargetingContext = Record<string, unknown> & { $flagd: FlagdProperties };

export type ContextCheck = { readonly ok: true; readonly needsDeepClean: boolean } | { readonly ok: false; readonly reason: string };

const CLEAN: ContextCheck = Object.freeze({ ok: true, needsDeepClean: false });
const DIRTY: ContextCheck = Object.freeze({ ok: true, needsDeepClean: true });

/** One walk, no allocation on the happy path: shape, depth, key count, and whether nested prototype keys exist. */
export function checkContext(context: unknown): ContextCheck {
  if (context === undefined || context === null) return CLEAN;
  if (typeof context !== 'object' || Array.isArray(context)) return { ok: false, reason: 'the evaluation context must be an object' };
  const budget = { keys: 0, dirty: false };
  const failure = walk(context, 1, budget, true);
  if (failure !== null) return { ok: false, reason: failure };
  return budget.dirty ? DIRTY : CLEAN;
}

function walk(value: object, depth: number, budget: { keys: number; dirty: boolean }, top: boolean): string | null {
  if (depth > MAX_CONTEXT_DEPTH) return `the evaluation context is nested deeper than ${MAX_CONTEXT_DEPTH} levels`;
  if (Array.isArray(value)) {
    budget.keys += value.length;
    if (budget.keys > MAX_CONTEXT_KEYS) return `the evaluation context has more than ${MAX_CONTEXT_KEYS} keys`;
    for (const item of value) {
      if (isContainer(item)) {
        const failure = walk(item, depth + 1, budget, false);
        if (failure !== null) return failure;
      }
    }
    return null;
  }
  if (!isPlain(value)) return null;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (++budget.keys > MAX_CONTEXT_KEYS) return `the evaluation context has more than ${MAX_CONTEXT_KEYS} keys`;
    if (!top && FORBIDDEN.has(key)) budget.dirty = true;
    const item = (value as Record<string, unknown>)[key];
    if (isContainer(item)) {
      const failure = walk(item, depth + 1, budget, false);
      if (failure !== null) return failure;
    }
  }
  return null;
}

/**
 * The engine's own copy of a checked context: prototype keys dropped (top level always, nested levels
 * only when the check found some), `$flagd` set by the engine whatever the caller sent.
 */
export function cloneContext(context: unknown, check: ContextCheck & { ok: true }, flagd: FlagdProperties): TargetingContext {
  const clone: Record<string, unknown> = {};
  if (context !== null && typeof context === 'object') {
    for (const key in context) {
      if (!Object.hasOwn(context, key) || FORBIDDEN.has(key)) continue;
      const value = (context as Record<string, unknown>)[key];
      clone[key] = check.needsDeepClean ? deepClean(value) : value;
    }
  }
  clone.$flagd = flagd;
  return clone as TargetingContext;
}

function deepClean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepClean);
  if (!isContainer(value) || !isPlain(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.hasOwn(value, key) && !FORBIDDEN.has(key)) copy[key] = deepClean((value as Record<string, unknown>)[key]);
  }
  return copy;
}

function isContainer(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
