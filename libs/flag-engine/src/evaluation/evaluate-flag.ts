import { ErrorCode, type EvaluationOptions, type EvaluationResult } from '../model';
import { describeRuleError } from '../operators';
import { errorResult, type CompiledFlag } from './compiled-flag';

/**
 * One flag against a checked context: the engine's copy with `$flagd` set for this flag, or the caller's own
 * when the rule cannot read `$flagd`; null when no rule runs. Never throws: a failing rule is PARSE_ERROR,
 * an unknown variant GENERAL.
 */
export function evaluateCompiledFlag(
  flag: CompiledFlag,
  context: object | null,
  options: EvaluationOptions | undefined,
): EvaluationResult {
  const result = flag.rule === null || context === null ? flag.fixed : runRule(flag, context);
  const expected = options?.expectedType;
  if (expected !== undefined && result.value !== undefined && expected !== flag.definition.valueType) {
    return flag.typeMismatch[expected];
  }
  return result;
}

function runRule(flag: CompiledFlag, context: object): EvaluationResult {
  let outcome: unknown;
  try {
    outcome = (flag.rule as (context: unknown) => unknown)(context);
  } catch (error) {
    return errorResult(
      flag.key,
      ErrorCode.PARSE_ERROR,
      `targeting failed: ${describeRuleError(error)}`,
      flag.metadata,
    );
  }
  if (outcome === null || outcome === undefined) return flag.fallback;
  // flagd stringifies the rule's result: `true` selects the variant named "true".
  const variant =
    typeof outcome === 'string'
      ? outcome
      : typeof outcome === 'boolean' || typeof outcome === 'number'
        ? String(outcome)
        : null;
  const match = variant === null ? undefined : flag.matches.get(variant);
  if (match !== undefined) return match;
  return errorResult(
    flag.key,
    ErrorCode.GENERAL,
    variant === null
      ? 'targeting returned a value that is not a variant name'
      : `targeting returned "${variant}", which is not a variant of flag "${flag.key}"`,
    flag.metadata,
  );
}
