import { DocumentProblemCode } from '../errors';
import type { JsonValue } from '../model';
import type { ProblemList } from '../document/problems';
import { RuleError, type RuleNode } from './model';
import { compileRule } from './rules/compile-rule';

/** AppConfig's limit on the variants of one flag. */
export const MAX_VARIANTS = 32;

/**
 * A variant's rule compiled to JSON Logic, or null with the problem recorded (flag, variant, place).
 * `parse` turns the rule's source (text or Ion) into a tree and throws RuleError on a syntax problem.
 */
export function compiledCondition(
  parse: () => RuleNode,
  flagKey: string,
  variantName: string,
  path: string,
  problems: ProblemList,
): JsonValue | null {
  let tree: RuleNode;
  try {
    tree = parse();
  } catch (error) {
    report(error, DocumentProblemCode.APPCONFIG_RULE_SYNTAX, flagKey, variantName, path, problems);
    return null;
  }
  try {
    return compileRule(tree, flagKey);
  } catch (error) {
    report(error, DocumentProblemCode.APPCONFIG_RULE_INVALID, flagKey, variantName, path, problems);
    return null;
  }
}

function report(
  error: unknown,
  code: DocumentProblemCode,
  flagKey: string,
  variantName: string,
  path: string,
  problems: ProblemList,
): void {
  const where = error instanceof RuleError ? ` at ${error.at}` : '';
  const message = error instanceof Error ? error.message : 'the rule cannot be read';
  problems.error(
    code,
    path,
    `variant ${JSON.stringify(variantName)}: the rule ${code === DocumentProblemCode.APPCONFIG_RULE_SYNTAX ? 'does not parse' : 'is not valid'}${where}: ${message}`,
    flagKey,
  );
}
