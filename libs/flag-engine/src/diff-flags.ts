import type { CompiledFlags } from './evaluation/compiled-flags';
import type { FlagDefinition } from './model';

export interface FlagDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

/** Which flags a new document adds, removes or changes (by definition, key order insensitive). */
export function diffFlags(previous: CompiledFlags | null, next: CompiledFlags): FlagDiff {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [key, definition] of next.definitions) {
    const before = previous?.definitions.get(key);
    if (before === undefined) added.push(key);
    else if (!sameDefinition(before, definition)) changed.push(key);
  }
  const removed =
    previous === null ? [] : [...previous.definitions.keys()].filter((key) => !next.definitions.has(key));
  return { added, removed, changed };
}

/** Equal definitions, key order aside (a reused flag is the very same object). */
export function sameDefinition(a: FlagDefinition, b: FlagDefinition): boolean {
  return a === b || canonical(a) === canonical(b);
}

// Compiled definitions never change (they are frozen): each one's canonical text is computed once.
const canonicalTexts = new WeakMap<FlagDefinition, string>();

function canonical(definition: FlagDefinition): string {
  let text = canonicalTexts.get(definition);
  if (text === undefined) {
    text = canonicalText(definition);
    canonicalTexts.set(definition, text);
  }
  return text;
}

function canonicalText(definition: FlagDefinition): string {
  return JSON.stringify(definition, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}
