import {
  describeRuleError,
  targetingEngine,
  type CompiledEvaluator,
  type EvaluatorTable,
} from '../operators';
import { canonicalDigest } from '../diff-flags';
import type { JsonValue } from '../model';
import { guardRule } from './guard-rule';
import { readsFlagd } from './reads-flagd';
import { exceedsRuleOperators, tooManyOperators } from './rule-operators';
import { literalResults, type LiteralResult } from './result-variants';

/** One `$evaluators` entry, analysed and compiled once per document however many rules reference it. */
export interface EvaluatorCompile {
  readonly evaluator: CompiledEvaluator | null;
  /** Why it does not compile (an unknown operator, a `$ref` inside it: flagd resolves one level only). */
  readonly error: string | null;
  readonly readsFlagd: boolean;
  /** Its literal results (see `literalResults`), below `/$evaluators/<name>`. */
  readonly results: readonly LiteralResult[];
}

/**
 * A document's `$evaluators`, each compiled the first time a flag references it: a compiled evaluator is a
 * function that referencing rules call, so the compile work of a document is linear in its size, never in the
 * number of references.
 */
export class DocumentEvaluators {
  private readonly compiled = new Map<string, EvaluatorCompile>();
  private readonly digests = new Map<string, string>();

  constructor(readonly rules: Readonly<Record<string, JsonValue>>) {}

  get(name: string): EvaluatorCompile {
    return once(this.compiled, name, () => compileEvaluator(this.rules[name]));
  }

  /** The digest of an evaluator's canonical text, computed once per document (definitions are compared by it). */
  digest(name: string): string {
    return once(this.digests, name, () => canonicalDigest(this.rules[name]));
  }

  /** The compiled evaluators of `names` (all of which compiled), for the build of a rule that calls them. */
  table(names: readonly string[]): EvaluatorTable {
    const table = new Map<string, CompiledEvaluator>();
    for (const name of names) {
      const { evaluator } = this.get(name);
      if (evaluator !== null) table.set(name, evaluator);
    }
    return table;
  }
}

function once<T>(cache: Map<string, T>, name: string, compute: () => T): T {
  let entry = cache.get(name);
  if (entry === undefined) {
    entry = compute();
    cache.set(name, entry);
  }
  return entry;
}

function compileEvaluator(rule: JsonValue): EvaluatorCompile {
  const analysed = { readsFlagd: readsFlagd(rule), results: literalResults(rule) };
  // Reported as the document's error (compile-document); never built.
  if (exceedsRuleOperators(rule))
    return { ...analysed, evaluator: null, error: tooManyOperators('the evaluator') };
  try {
    return { ...analysed, evaluator: targetingEngine.buildEvaluator(guardRule(rule)), error: null };
  } catch (error) {
    return { ...analysed, evaluator: null, error: describeRuleError(error) };
  }
}
