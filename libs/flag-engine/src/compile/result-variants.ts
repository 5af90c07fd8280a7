import type { JsonValue } from '../model';
import { EVALUATOR_CALL } from '../operators';

/** A literal a rule can return, and where it is (path parts below the targeting). */
export interface LiteralResult {
  readonly value: string;
  readonly at: readonly (string | number)[];
  /** Set when the result is in this `$evaluators` entry (`at` is then below it), which a branch calls. */
  readonly evaluator?: string;
}

/** The literal results of a called evaluator (computed once per document). */
export type EvaluatorResults = (name: string) => readonly LiteralResult[];

const NO_EVALUATORS: EvaluatorResults = () => [];

/**
 * The literal results of a rule: the branches of `if` / `?:` (nested ones too) and the variant names
 * of `fractional` buckets. A result computed at run time (`var`, `cat`, …) is not known here.
 *
 * Example: `{"if": [{"var": "beta"}, "on", {"if": [c, "blue", null]}]}` gives "on" and "blue".
 */
export function literalResults(
  rule: JsonValue,
  at: readonly (string | number)[] = [],
  called: EvaluatorResults = NO_EVALUATORS,
): LiteralResult[] {
  const name = calledEvaluator(rule);
  if (name !== null) return called(name).map((result) => ({ ...result, evaluator: name }));
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return [];
  const [operator, ...rest] = Object.keys(rule);
  if (operator === undefined || rest.length > 0) return [];
  const args = rule[operator];
  if (!Array.isArray(args)) return [];
  const here = [...at, operator];
  if (operator === 'if' || operator === '?:') {
    // [cond, then, cond, then, …, else?]: results at odd positions, and the last one when the count is odd.
    return args.flatMap((arg, index) =>
      index % 2 === 1 || (index === args.length - 1 && index > 0)
        ? branchResults(arg, [...here, index], called)
        : [],
    );
  }
  if (operator === 'fractional') {
    return args.flatMap((bucket, index) =>
      Array.isArray(bucket) && typeof bucket[0] === 'string'
        ? [{ value: bucket[0], at: [...here, index, 0] }]
        : [],
    );
  }
  return [];
}

function branchResults(
  value: JsonValue,
  at: readonly (string | number)[],
  called: EvaluatorResults,
): LiteralResult[] {
  // null falls back to the default variant; flagd stringifies the other scalars (true -> "true").
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return [{ value: String(value), at }];
  return literalResults(value, at, called);
}

function calledEvaluator(value: JsonValue): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const name = value[EVALUATOR_CALL];
  return typeof name === 'string' && Object.keys(value).length === 1 ? name : null;
}
