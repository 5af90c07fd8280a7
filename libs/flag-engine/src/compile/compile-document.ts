import { DocumentProblemCode, type DocumentProblem } from '../errors';
import { parseDocument } from '../document/parse-document';
import { ProblemList, pointer } from '../document/problems';
import { CompiledFlagSet, type CompiledFlags } from '../evaluation/compiled-flags';
import { prepareFlag } from '../evaluation/compiled-flag';
import { describeRuleError, targetingEngine, type CompiledRule } from '../operators';
import type { FlagDefinition, JsonValue } from '../model';
import { guardRule } from './guard-rule';
import { readsFlagd } from './reads-flagd';
import { resolveRefs } from './resolve-refs';
import { literalResults } from './result-variants';
import { unboundedGrowth } from './unbounded-growth';

export type CompileOutcome =
  | { readonly ok: true; readonly flags: CompiledFlags; readonly warnings: readonly DocumentProblem[] }
  | { readonly ok: false; readonly errors: readonly DocumentProblem[] };

export interface CompileOptions {
  /** `application/json` (flagd unless the content is AppConfig's feature-flag map) or `...; type=AWS.AppConfig.FeatureFlags`. */
  readonly contentType?: string;
}

/** Parses, validates and compiles once. Never throws. */
export function compileFlagDocument(content: string | Uint8Array, options?: CompileOptions): CompileOutcome {
  const problems = new ProblemList();
  try {
    const document = parseDocument(content, options?.contentType, problems);
    if (document === null) return { ok: false, errors: problems.errors };
    const flags = document.flags.map((parsed) => {
      const { definition, rule, ruleError } = compileTargeting(parsed, document.evaluators, problems);
      const needsFlagd = definition.targeting !== undefined && readsFlagd(definition.targeting);
      return prepareFlag(deepFreeze(definition), document.metadata, { rule, ruleError, needsFlagd });
    });
    if (problems.errors.length > 0) return { ok: false, errors: problems.errors };
    return {
      ok: true,
      flags: new CompiledFlagSet(document.format, flags, Object.freeze({ ...document.metadata })),
      warnings: problems.warnings,
    };
  } catch (error) {
    // A bug here must not take a process down: report it as a rejection.
    problems.error(
      DocumentProblemCode.INVALID_SHAPE,
      '',
      `the document could not be compiled: ${(error as Error)?.message}`,
    );
    return { ok: false, errors: problems.errors };
  }
}

interface TargetingOutcome {
  readonly definition: FlagDefinition;
  readonly rule: CompiledRule | null;
  readonly ruleError: string | null;
}

function compileTargeting(
  flag: FlagDefinition,
  evaluators: Readonly<Record<string, JsonValue>>,
  problems: ProblemList,
): TargetingOutcome {
  if (flag.targeting === undefined) return { definition: flag, rule: null, ruleError: null };
  const path = pointer('flags', flag.key, 'targeting');
  const { rule, missing } = resolveRefs(flag.targeting, evaluators);
  const definition: FlagDefinition = { ...flag, targeting: rule };
  if (missing.length > 0) {
    const message = `$ref to unknown evaluator${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')}`;
    problems.warning(
      DocumentProblemCode.UNKNOWN_REF,
      path,
      `${message}: the flag evaluates to PARSE_ERROR`,
      flag.key,
    );
    return { definition, rule: null, ruleError: message };
  }
  const growth = unboundedGrowth(rule);
  if (growth !== null) {
    problems.error(DocumentProblemCode.UNBOUNDED_TARGETING, path, growth, flag.key);
    return { definition, rule: null, ruleError: growth };
  }
  warnUnknownResults(definition, rule, problems);
  try {
    return { definition, rule: targetingEngine.build(guardRule(rule)), ruleError: null };
  } catch (error) {
    const message = `targeting does not compile: ${describeRuleError(error)}`;
    problems.warning(
      DocumentProblemCode.TARGETING_NOT_COMPILABLE,
      path,
      `${message}; the flag evaluates to PARSE_ERROR`,
      flag.key,
    );
    return { definition, rule: null, ruleError: message };
  }
}

/** A literal result that names no variant answers GENERAL whenever a context reaches it. */
function warnUnknownResults(flag: FlagDefinition, rule: JsonValue, problems: ProblemList): void {
  const variants = Object.keys(flag.variants);
  for (const result of literalResults(rule)) {
    if (Object.hasOwn(flag.variants, result.value)) continue;
    problems.warning(
      DocumentProblemCode.UNKNOWN_RESULT_VARIANT,
      pointer('flags', flag.key, 'targeting', ...result.at),
      `rule result ${JSON.stringify(result.value)} is not one of the variants (${variants.join(', ')}); evaluations that reach it answer GENERAL`,
      flag.key,
    );
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
