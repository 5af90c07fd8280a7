/**
 * Work one rule run may do: every iteration step of `map`, `filter`, `reduce`, `all`, `some`, `none`, and every
 * element or character that `merge` and `cat` produce, counts one unit. A run that exceeds it stops with an error
 * (the flag answers PARSE_ERROR), so no rule and no context can make one evaluation grow without bound.
 */
export const MAX_EVALUATION_WORK = 100_000;

/** Thrown inside a rule run; the evaluation turns it into PARSE_ERROR with this message. */
export class EvaluationBudgetExceededError extends Error {
  constructor() {
    super(`the rule exceeded its evaluation budget of ${MAX_EVALUATION_WORK} steps`);
    this.name = 'EvaluationBudgetExceededError';
  }
}

// Rule runs are synchronous and never nest, so one counter serves every run.
let remaining = MAX_EVALUATION_WORK;

export function startRuleRun(): void {
  remaining = MAX_EVALUATION_WORK;
}

export function charge(units: number): void {
  remaining -= units;
  if (remaining < 0) throw new EvaluationBudgetExceededError();
}
