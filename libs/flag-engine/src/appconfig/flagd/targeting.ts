import type { JsonValue } from '../../model';
import type { FlagdRules } from '../operators/descriptor';
import { APPCONFIG_OPERATOR_BY_NAME } from '../operators';
import { operandProblem, operatorArgs, NO, Untranslatable, type Truth } from './truth';

/** A flag's targeting in flagd's standard JSON Logic, or why rules of it have no exact equivalent. */
export type FlagdTranslation =
  { readonly ok: true; readonly targeting: JsonValue } | { readonly ok: false; readonly reason: string };

/**
 * An AppConfig multi-variant flag's targeting (`{"if": [rule1, "A", rule2, "B", …, null]}` with `appconfig_*`
 * operators, see rules/compile-rule.ts) in flagd's standard JSON Logic, when every rule has an equivalent for
 * JSON context values; otherwise why not, for every variant whose rule has none. Each operator's own descriptor
 * translates it (operators/*.ts); docs/flagd.md lists the rules.
 */
export function flagdTargeting(targeting: JsonValue): FlagdTranslation {
  const branches = operatorArgs(targeting, 'if');
  if (!Array.isArray(branches) || branches.length % 2 !== 1 || branches[branches.length - 1] !== null)
    return { ok: false, reason: 'targeting that is not a list of rules' };
  const out: JsonValue[] = [];
  // Every variant's rule is tried: the warning names each one in-process providers cannot evaluate.
  const reasons: string[] = [];
  for (let i = 0; i + 1 < branches.length; i += 2) {
    try {
      out.push(RULES.truth(branches[i]).isTrue, branches[i + 1]);
    } catch (error) {
      if (!(error instanceof Untranslatable)) throw error;
      reasons.push(`the rule of variant ${JSON.stringify(branches[i + 1])}: ${error.message}`);
    }
  }
  if (reasons.length > 0) return { ok: false, reason: reasons.join('; ') };
  return { ok: true, targeting: { if: [...out, null] } };
}

const RULES: FlagdRules = {
  truth(node: JsonValue): Truth {
    if (typeof node === 'boolean') return { isTrue: node, isFalse: !node };
    const operator = callee(node);
    const args = operator === undefined ? undefined : operatorArgs(node, operator);
    if (operator === undefined || !Array.isArray(args)) return NO('a rule that is not an operator');
    const descriptor = APPCONFIG_OPERATOR_BY_NAME.get(operator);
    if (descriptor === undefined) return NO(`\`${operator}\` has no flagd equivalent`);
    return descriptor.flagd(args, RULES);
  },
  operandProblem(x: JsonValue, other: JsonValue): string {
    // An operator's value as an operand (a timestamp read from the context): its descriptor says why.
    for (const node of [x, other]) {
      const operator = callee(node);
      const why = operator === undefined ? undefined : APPCONFIG_OPERATOR_BY_NAME.get(operator)?.flagdOperand;
      if (why !== undefined) return why;
    }
    return operandProblem(x, other);
  },
};

/** The operator of a one-operator JSON Logic node, or undefined. */
function callee(node: JsonValue): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 ? keys[0] : undefined;
}
