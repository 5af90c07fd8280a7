import type { JsonValue } from '../model';
import { DATA_ACCESSORS } from './guard-rule';

/** Operators whose result is as large as their arguments together. */
const BUILDERS: ReadonlySet<string> = new Set(['merge', 'cat']);

/**
 * Why a rule's result can grow without bound, or null. A `reduce` step (or a `pipe` stage) that puts its own
 * input into one `merge`/`cat` more than once doubles it on every step: 28 steps over `[0..27]` build 2^28
 * elements. Counted as reading the input: `accumulator` paths, and in a `pipe` stage any path; inside a `reduce`
 * step also computed, empty and relative (`../`) paths, which may name the accumulator. Linear growth (the
 * accumulator used once) is accepted; the evaluation budget bounds it.
 */
export function unboundedGrowth(node: JsonValue): string | null {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = unboundedGrowth(item);
      if (found !== null) return found;
    }
    return null;
  }
  if (node === null || typeof node !== 'object') return null;
  for (const [operator, args] of Object.entries(node)) {
    if (operator === 'preserve') continue;
    if (operator === 'reduce' && Array.isArray(args) && args.length > 1) {
      const uses = maxInputUses(args[1], readsAccumulator);
      if (uses > 1)
        return `a "reduce" step uses its accumulator ${uses} times in one "merge"/"cat": its result doubles on every step`;
    }
    if (operator === 'pipe' && Array.isArray(args)) {
      const uses = Math.max(0, ...args.slice(1).map((stage) => maxInputUses(stage, () => true)));
      if (uses > 1)
        return `a "pipe" stage uses its input ${uses} times in one "merge"/"cat": its result doubles on every stage`;
    }
    const found = unboundedGrowth(args);
    if (found !== null) return found;
  }
  return null;
}

/** The most input reads found in one builder anywhere in `node`. */
function maxInputUses(node: JsonValue, readsInput: (path: JsonValue) => boolean): number {
  if (Array.isArray(node)) return Math.max(0, ...node.map((item) => maxInputUses(item, readsInput)));
  if (node === null || typeof node !== 'object') return 0;
  let most = 0;
  for (const [operator, args] of Object.entries(node)) {
    if (BUILDERS.has(operator)) most = Math.max(most, countReads(args, readsInput));
    most = Math.max(most, maxInputUses(args, readsInput));
  }
  return most;
}

function countReads(node: JsonValue, readsInput: (path: JsonValue) => boolean): number {
  if (Array.isArray(node)) return node.reduce<number>((sum, item) => sum + countReads(item, readsInput), 0);
  if (node === null || typeof node !== 'object') return 0;
  let reads = 0;
  for (const [operator, args] of Object.entries(node)) {
    if (DATA_ACCESSORS.has(operator) && readsInput(Array.isArray(args) ? (args[0] ?? null) : args))
      reads += 1;
    reads += countReads(args, readsInput);
  }
  return reads;
}

function readsAccumulator(path: JsonValue): boolean {
  // A literal path names one key; anything computed, empty or relative might be the accumulator.
  if (typeof path === 'number') return false;
  if (typeof path !== 'string') return true;
  return path === '' || path.startsWith('../') || path === 'accumulator' || path.startsWith('accumulator.');
}
