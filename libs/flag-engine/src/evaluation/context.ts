import { PROTOTYPE_KEYS } from '../prototype-keys';

/** Bounds on caller contexts: deeper or larger ones are INVALID_CONTEXT, never a stack overflow or a stall. */
export const MAX_CONTEXT_DEPTH = 32;
export const MAX_CONTEXT_KEYS = 10_000;
/** Iterating rules cost steps per element: one array (and one string) is capped well below the key budget. */
export const MAX_CONTEXT_ARRAY_LENGTH = 1_000;
export const MAX_CONTEXT_STRING_LENGTH = 8_192;

/** The mutable `$flagd` object injected into the engine's own clone of the context. */
export interface FlagdProperties {
  flagKey: string;
  timestamp: number;
}

export type TargetingContext = Record<string, unknown> & { $flagd: FlagdProperties };

export type ContextCheck =
  { readonly ok: true; readonly hasPrototypeKeys: boolean } | { readonly ok: false; readonly reason: string };

const CLEAN: ContextCheck = Object.freeze({ ok: true, hasPrototypeKeys: false });
const DIRTY: ContextCheck = Object.freeze({ ok: true, hasPrototypeKeys: true });

/** One walk, no allocation on the happy path: shape, depth, key count, and whether prototype keys exist at any level. */
export function checkContext(context: unknown): ContextCheck {
  if (context === undefined || context === null) return CLEAN;
  if (typeof context !== 'object' || Array.isArray(context))
    return { ok: false, reason: 'the evaluation context must be an object' };
  keyCount = 0;
  prototypeKeys = false;
  const failure = walk(context, 1);
  if (failure !== null) return { ok: false, reason: failure };
  return prototypeKeys ? DIRTY : CLEAN;
}

const LONG_STRING = `a string in the evaluation context is longer than ${MAX_CONTEXT_STRING_LENGTH} characters`;

// Walk state of the check in progress (synchronous; module state avoids an allocation per evaluation).
let keyCount = 0;
let prototypeKeys = false;

function walk(value: object, depth: number): string | null {
  if (depth > MAX_CONTEXT_DEPTH)
    return `the evaluation context is nested deeper than ${MAX_CONTEXT_DEPTH} levels`;
  if (Array.isArray(value)) {
    if (value.length > MAX_CONTEXT_ARRAY_LENGTH)
      return `an array in the evaluation context has more than ${MAX_CONTEXT_ARRAY_LENGTH} elements`;
    keyCount += value.length;
    if (keyCount > MAX_CONTEXT_KEYS) return `the evaluation context has more than ${MAX_CONTEXT_KEYS} keys`;
    for (const item of value) {
      if (typeof item === 'string' && item.length > MAX_CONTEXT_STRING_LENGTH) return LONG_STRING;
      if (isContainer(item)) {
        const failure = walk(item, depth + 1);
        if (failure !== null) return failure;
      }
    }
    return null;
  }
  if (!isPlain(value)) return null;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (++keyCount > MAX_CONTEXT_KEYS) return `the evaluation context has more than ${MAX_CONTEXT_KEYS} keys`;
    if (PROTOTYPE_KEYS.has(key)) prototypeKeys = true;
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'string' && item.length > MAX_CONTEXT_STRING_LENGTH) return LONG_STRING;
    if (isContainer(item)) {
      const failure = walk(item, depth + 1);
      if (failure !== null) return failure;
    }
  }
  return null;
}

/**
 * The engine's own copy of a checked context, `$flagd` set by the engine whatever the caller sent.
 * Prototype keys are dropped at every level; contexts without any (nearly all) take the fast shallow copy.
 */
export function cloneContext(
  context: unknown,
  check: ContextCheck & { ok: true },
  flagd: FlagdProperties,
): TargetingContext {
  // Object.assign is the fastest copy, and safe here: without a "__proto__" key no setter can run.
  const clone: Record<string, unknown> =
    context === null || typeof context !== 'object'
      ? {}
      : Object.assign({}, check.hasPrototypeKeys ? deepClean(context) : context);
  clone.$flagd = flagd;
  return clone as TargetingContext;
}

function deepClean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepClean);
  if (!isContainer(value) || !isPlain(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.hasOwn(value, key) && !PROTOTYPE_KEYS.has(key))
      copy[key] = deepClean((value as Record<string, unknown>)[key]);
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
