import type { JsonValue } from '../model';

/**
 * Operators (JSON Logic operations, each `$ref` counted once) in one flagd rule: a flag's targeting or one
 * `$evaluators` entry. A rule is compiled as one step (json-logic-engine generates one function per rule), so its
 * size is what one step costs: ~50-60 ms at this bound on a loaded 2-core machine. Wider rules also overflowed the
 * stack: an `or`/`and`/`if` of ~3,000-4,000 operands compiles to as many nested `?:` as V8's parser recurses on.
 * A larger rule is split into `$evaluators` (each bounded, called as one operator).
 */
export const MAX_RULE_OPERATORS = 1_000;

/** Whether `rule` holds more than MAX_RULE_OPERATORS operators; stops counting there. */
export function exceedsRuleOperators(rule: JsonValue): boolean {
  let operators = 0;
  // Depth is bounded by the document's (DOCUMENT_MAX_DEPTH), so recursion is safe; breadth is what is counted.
  const visit = (node: JsonValue): boolean => {
    if (node === null || typeof node !== 'object') return false;
    if (!Array.isArray(node) && ++operators > MAX_RULE_OPERATORS) return true;
    return (Array.isArray(node) ? node : Object.values(node)).some(visit);
  };
  return visit(rule);
}

/** The problem's message for a rule over the bound. */
export function tooManyOperators(what: string): string {
  return `${what} has more than ${MAX_RULE_OPERATORS} operators (JSON Logic operations and $refs), the most one rule compiles in one step: split it into $evaluators`;
}
