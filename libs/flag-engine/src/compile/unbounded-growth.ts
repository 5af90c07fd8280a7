import type { JsonValue } from '../model';
import { DATA_ACCESSORS } from './guard-rule';

/** Operators whose result is as large as their arguments together. */
const BUILDERS: ReadonlySet<string> = new Set(['merge', 'cat']);

type ReadsInput = (path: JsonValue) => boolean;

/**
 * Why a rule's result can grow without bound, or null. A `reduce` step (or a `pipe` stage) that puts its own
 * input into one `merge`/`cat` more than once doubles it on every step: 28 steps over `[0..27]` build 2^28
 * elements. Counted as reading the input: `accumulator` paths, and in a `pipe` stage any path; inside a `reduce`
 * step also computed, empty and relative (`../`) paths, which may name the accumulator. Linear growth (the
 * accumulator used once) is accepted; the evaluation budget bounds it.
 */
export function unboundedGrowth(node: JsonValue): string | null {
  return new GrowthAnalysis([]).unboundedGrowth(node);
}

/**
 * The analysis for one document. A targeting's resolved `$ref`s are the same evaluator object at every
 * reference: results are kept for those shared rules only, so each is walked once however often it is referenced
 * (the work is linear in the document's size). Keeping a result for every node of every rule instead filled
 * WeakMaps with hundreds of thousands of entries per large document, whose rehashing held the event loop for
 * 90-230 ms at a time (issue 26).
 */
export class GrowthAnalysis {
  private readonly shared: ReadonlySet<object>;
  private readonly growthFound = new Map<object, string | null>();
  private readonly inputUses = new Map<ReadsInput, Map<object, number>>();
  private readonly inputReads = new Map<ReadsInput, Map<object, number>>();

  /** `shared`: the rule objects that targetings share (the document's `$evaluators` values). */
  constructor(shared: Iterable<JsonValue>) {
    const objects = new Set<object>();
    for (const rule of shared) if (rule !== null && typeof rule === 'object') objects.add(rule);
    this.shared = objects;
  }

  unboundedGrowth(node: JsonValue): string | null {
    return this.memoized(this.growthFound, node, (found) => this.findGrowth(found));
  }

  private memoized<T>(cache: Map<object, T>, node: JsonValue, find: (node: JsonValue) => T): T {
    if (node === null || typeof node !== 'object' || !this.shared.has(node)) return find(node);
    if (cache.has(node)) return cache.get(node) as T;
    const found = find(node);
    cache.set(node, found);
    return found;
  }

  private cacheFor(
    caches: Map<ReadsInput, Map<object, number>>,
    readsInput: ReadsInput,
  ): Map<object, number> {
    let cache = caches.get(readsInput);
    if (cache === undefined) {
      cache = new Map();
      caches.set(readsInput, cache);
    }
    return cache;
  }

  private findGrowth(node: JsonValue): string | null {
    if (Array.isArray(node)) {
      for (const item of node) {
        const found = this.unboundedGrowth(item);
        if (found !== null) return found;
      }
      return null;
    }
    if (node === null || typeof node !== 'object') return null;
    for (const [operator, args] of Object.entries(node)) {
      if (operator === 'preserve') continue;
      if (operator === 'reduce' && Array.isArray(args) && args.length > 1) {
        const uses = this.maxInputUses(args[1], readsAccumulator);
        if (uses > 1)
          return `a "reduce" step uses its accumulator ${uses} times in one "merge"/"cat": its result doubles on every step`;
      }
      if (operator === 'pipe' && Array.isArray(args)) {
        const uses = Math.max(0, ...args.slice(1).map((stage) => this.maxInputUses(stage, anyPath)));
        if (uses > 1)
          return `a "pipe" stage uses its input ${uses} times in one "merge"/"cat": its result doubles on every stage`;
      }
      const found = this.unboundedGrowth(args);
      if (found !== null) return found;
    }
    return null;
  }

  /** The most input reads found in one builder anywhere in `node`. */
  private maxInputUses(node: JsonValue, readsInput: ReadsInput): number {
    return this.memoized(this.cacheFor(this.inputUses, readsInput), node, (found) =>
      this.findInputUses(found, readsInput),
    );
  }

  private findInputUses(node: JsonValue, readsInput: ReadsInput): number {
    if (Array.isArray(node)) return Math.max(0, ...node.map((item) => this.maxInputUses(item, readsInput)));
    if (node === null || typeof node !== 'object') return 0;
    let most = 0;
    for (const [operator, args] of Object.entries(node)) {
      if (BUILDERS.has(operator)) most = Math.max(most, this.countReads(args, readsInput));
      most = Math.max(most, this.maxInputUses(args, readsInput));
    }
    return most;
  }

  private countReads(node: JsonValue, readsInput: ReadsInput): number {
    return this.memoized(this.cacheFor(this.inputReads, readsInput), node, (found) =>
      this.findReads(found, readsInput),
    );
  }

  private findReads(node: JsonValue, readsInput: ReadsInput): number {
    if (Array.isArray(node))
      return node.reduce<number>((sum, item) => sum + this.countReads(item, readsInput), 0);
    if (node === null || typeof node !== 'object') return 0;
    let reads = 0;
    for (const [operator, args] of Object.entries(node)) {
      if (DATA_ACCESSORS.has(operator) && readsInput(Array.isArray(args) ? (args[0] ?? null) : args))
        reads += 1;
      reads += this.countReads(args, readsInput);
    }
    return reads;
  }
}

const anyPath: ReadsInput = () => true;

function readsAccumulator(path: JsonValue): boolean {
  // A literal path names one key; anything computed, empty or relative might be the accumulator.
  if (typeof path === 'number') return false;
  if (typeof path !== 'string') return true;
  return path === '' || path.startsWith('../') || path === 'accumulator' || path.startsWith('accumulator.');
}
