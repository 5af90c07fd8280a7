import { createHash } from 'node:crypto';
import type { CompiledFlags } from './evaluation/compiled-flags';
import type { FlagDefinition, JsonObject, JsonValue } from './model';
import { drainSteps, type Steps } from './steps';

const FLAGS_PER_STEP = 256;

export interface FlagDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

/** Which flags a new document adds, removes or changes (by definition, key order insensitive). */
export function diffFlags(previous: CompiledFlags | null, next: CompiledFlags): FlagDiff {
  return drainSteps(diffFlagsInSteps(previous, next));
}

/** `diffFlags` in steps (a yield every few hundred flags), for `runInSlices`. */
export function* diffFlagsInSteps(previous: CompiledFlags | null, next: CompiledFlags): Steps<FlagDiff> {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  let count = 0;
  for (const [key, definition] of next.definitions) {
    const before = previous?.definitions.get(key);
    if (before === undefined) added.push(key);
    else if (!sameDefinition(before, definition)) changed.push(key);
    if (++count % FLAGS_PER_STEP === 0) yield;
  }
  for (const key of previous?.definitions.keys() ?? []) {
    if (!next.definitions.has(key)) removed.push(key);
    if (++count % FLAGS_PER_STEP === 0) yield;
  }
  return { added, removed, changed };
}

/** Equal definitions, key order aside (a reused flag is the very same object). */
export function sameDefinition(a: FlagDefinition, b: FlagDefinition): boolean {
  return a === b || canonical(a) === canonical(b);
}

// Compiled definitions never change (they are frozen): each one's canonical text is computed once.
const canonicalTexts = new WeakMap<FlagDefinition, string>();
// Definitions whose targeting calls `$evaluators`: their text is the targeting as written plus each evaluator's
// digest (see `compareByReferences`), never the evaluator written out at every reference.
const referencedTexts = new WeakMap<FlagDefinition, () => string>();

function canonical(definition: FlagDefinition): string {
  let text = canonicalTexts.get(definition);
  if (text === undefined) {
    text = referencedTexts.get(definition)?.() ?? canonicalText(definition);
    canonicalTexts.set(definition, text);
  }
  return text;
}

function canonicalText(definition: FlagDefinition): string {
  return JSON.stringify(definition, canonicalValue);
}

/**
 * Has `definition` (whose targeting is `written` with its `$ref`s resolved) compared by its targeting as written
 * and by the digest of each evaluator it references (`[name, digest]`, in the order first referenced). An evaluator
 * of any JSON type, a 100 KB string as well as an object, is then counted once per definition, not per reference.
 * JSON text holds no raw line break, so the digests that follow it cannot be forged by a rule.
 */
export function compareByReferences(
  definition: FlagDefinition,
  written: JsonObject,
  digests: () => ReadonlyArray<readonly [string, string]>,
): void {
  referencedTexts.set(
    definition,
    () => `${canonicalText({ ...definition, targeting: written })}\n${JSON.stringify(digests())}`,
  );
}

/** A digest of a JSON value's canonical text (key order insensitive), for an evaluator that rules reference. */
export function canonicalDigest(value: JsonValue): string {
  return createHash('sha256')
    .update(JSON.stringify(value, canonicalValue) ?? 'undefined')
    .digest('base64');
}

function canonicalValue(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
