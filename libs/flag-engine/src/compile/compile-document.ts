import { DocumentProblemCode, type DocumentProblem } from '../errors';
import { parseDocument } from '../document/parse-document';
import { ProblemList, pointer } from '../document/problems';
import { drainSteps, runInSlices, type Steps } from '../steps';
import { DEFAULT_DOCUMENT_LIMITS, oversizeBytes, type DocumentLimits } from '../document/document-limits';
import { CompiledFlagSet, type CompiledFlags } from '../evaluation/compiled-flags';
import { prepareFlag, type CompiledFlag } from '../evaluation/compiled-flag';
import { compareByReferences, sameDefinition } from '../diff-flags';
import { describeRuleError, targetingEngine, type CompiledRule } from '../operators';
import type { FlagDefinition, JsonObject, JsonValue } from '../model';
import { DocumentEvaluators } from './document-evaluators';
import { guardRule } from './guard-rule';
import { readsFlagd } from './reads-flagd';
import { resolveRefs } from './resolve-refs';
import { exceedsRuleOperators, tooManyOperators } from './rule-operators';
import { literalResults } from './result-variants';
import { GrowthAnalysis } from './unbounded-growth';

export type CompileOutcome =
  | { readonly ok: true; readonly flags: CompiledFlags; readonly warnings: readonly DocumentProblem[] }
  | { readonly ok: false; readonly errors: readonly DocumentProblem[] };

export interface CompileOptions {
  /** `application/json` (flagd unless the content is AppConfig's feature-flag map) or `...; type=AWS.AppConfig.FeatureFlags`. */
  readonly contentType?: string;
  /** Checked before parsing; defaults: DEFAULT_DOCUMENT_LIMITS. */
  readonly limits?: Partial<DocumentLimits>;
  /**
   * The document this one replaces: a flag whose definition (targeting after `$ref` resolution) did not change
   * keeps its compiled rule, so a one-flag edit of a large document compiles one flag.
   */
  readonly previous?: CompiledFlags | null;
}

export interface SlicedCompileOptions extends CompileOptions {
  /** Longest stretch of work between two yields to the event loop. Default 5 ms. */
  readonly sliceMs?: number;
}

/** Parses, validates and compiles once. Never throws. */
export function compileFlagDocument(content: string | Uint8Array, options?: CompileOptions): CompileOutcome {
  return drainSteps(compileSteps(content, options));
}

/**
 * The same compile, yielding to the event loop whenever `sliceMs` of work has run, so requests keep being
 * answered while a large document loads. Never rejects.
 */
export function compileFlagDocumentSliced(
  content: string | Uint8Array,
  options?: SlicedCompileOptions,
): Promise<CompileOutcome> {
  return runInSlices(compileSteps(content, options), options?.sliceMs);
}

/** The compile as steps: it yields while the JSON is read, after each flag validated and after each flag compiled. */
function* compileSteps(content: string | Uint8Array, options?: CompileOptions): Steps<CompileOutcome> {
  const problems = new ProblemList();
  const limits = { ...DEFAULT_DOCUMENT_LIMITS, ...options?.limits };
  try {
    const size = oversizeBytes(content, limits.maxBytes);
    if (size > 0) {
      problems.error(
        DocumentProblemCode.TOO_LARGE,
        '',
        `the document has ${size} bytes, more than the limit of ${limits.maxBytes}`,
      );
      return { ok: false, errors: problems.errors };
    }
    const document = yield* parseDocument(content, options?.contentType, problems, limits.maxDepth);
    if (document === null) return { ok: false, errors: problems.errors };
    const previous = options?.previous instanceof CompiledFlagSet ? options.previous : null;
    const metadata = Object.freeze({ ...document.metadata });
    const sameMetadata = previous !== null && sameEntries(previous.metadata, metadata);
    const flags: CompiledFlag[] = [];
    // Targetings as written, kept for flagd sync (which sends `$evaluators` and `$ref`s, not each reference resolved).
    const written = new Map<string, JsonObject>();
    const hasEvaluators = Object.keys(document.evaluators).length > 0;
    const evaluators = new DocumentEvaluators(document.evaluators);
    const growth = new GrowthAnalysis(Object.values(document.evaluators));
    // flagd rules are bounded in size (AppConfig's by its own rule limits; its operators compile to closures).
    const bounded = document.format === 'flagd';
    for (const [name, rule] of Object.entries(document.evaluators))
      if (exceedsRuleOperators(rule))
        problems.error(
          DocumentProblemCode.TARGETING_TOO_LARGE,
          pointer('$evaluators', name),
          tooManyOperators(`$evaluators "${name}"`),
        );
    for (const parsed of document.flags) {
      const before = previous?.compiled(parsed.key);
      if (hasEvaluators && parsed.targeting !== undefined) {
        written.set(parsed.key, deepFreeze(parsed.targeting));
        yield;
      }
      const { definition, rule, ruleError, needsFlagd } = yield* compileTargeting(
        parsed,
        evaluators,
        growth,
        problems,
        before,
        bounded,
      );
      if (before !== undefined && definition === before.definition && sameMetadata) flags.push(before);
      else {
        deepFreeze(definition);
        yield;
        flags.push(prepareFlag(definition, document.metadata, { rule, ruleError, needsFlagd }));
      }
      yield;
    }
    if (problems.errors.length > 0) return { ok: false, errors: problems.errors };
    return {
      ok: true,
      flags: new CompiledFlagSet(document.format, flags, metadata, deepFreeze(document.evaluators), written),
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

function sameEntries(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key])
  );
}

interface TargetingOutcome {
  readonly definition: FlagDefinition;
  readonly rule: CompiledRule | null;
  readonly ruleError: string | null;
  readonly needsFlagd: boolean;
}

/**
 * A flag's targeting checked and compiled. Its `$ref`s call the evaluators compiled once for the document; the
 * definition holds the evaluator objects themselves (shared, as flagd inlines them), whose analysis is cached per
 * object, so no step here is repeated per reference. A yield after each walk of the rule: one flag's rule may be
 * most of a 4 MiB document (a list of 200,000 ids), and its nine walks in one turn held the loop 80-100 ms.
 */
function* compileTargeting(
  flag: FlagDefinition,
  evaluators: DocumentEvaluators,
  analysis: GrowthAnalysis,
  problems: ProblemList,
  before: CompiledFlag | undefined,
  bounded: boolean,
): Steps<TargetingOutcome> {
  if (bounded && flag.targeting !== undefined && exceedsRuleOperators(flag.targeting)) {
    // Refused before any copy or compile of it: the document is rejected.
    const message = tooManyOperators('targeting');
    problems.error(
      DocumentProblemCode.TARGETING_TOO_LARGE,
      pointer('flags', flag.key, 'targeting'),
      message,
      flag.key,
    );
    return { definition: flag, rule: null, ruleError: message, needsFlagd: false };
  }
  yield;
  const resolved = flag.targeting === undefined ? null : resolveRefs(flag.targeting, evaluators.rules);
  yield;
  const candidate: FlagDefinition = resolved === null ? flag : { ...flag, targeting: resolved.rule };
  if (resolved !== null && flag.targeting !== undefined && resolved.refs.length > 0) {
    const { refs } = resolved;
    compareByReferences(candidate, flag.targeting, () => refs.map((name) => [name, evaluators.digest(name)]));
  }
  const unchanged = before !== undefined && sameDefinition(before.definition, candidate);
  yield;
  const definition = unchanged ? before.definition : candidate;
  if (resolved === null)
    return unchanged ? reused(before) : { definition, rule: null, ruleError: null, needsFlagd: false };
  const path = pointer('flags', flag.key, 'targeting');
  const { rule, calling, refs, missing } = resolved;
  const needsFlagd = readsFlagd(calling) || refs.some((name) => evaluators.get(name).readsFlagd);
  yield;
  if (missing.length > 0) {
    const message = `$ref to unknown evaluator${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')}`;
    problems.warning(
      DocumentProblemCode.UNKNOWN_REF,
      path,
      `${message}: the flag evaluates to PARSE_ERROR`,
      flag.key,
    );
    return { definition, rule: null, ruleError: message, needsFlagd };
  }
  const growth = analysis.unboundedGrowth(rule);
  yield;
  if (growth !== null) {
    problems.error(DocumentProblemCode.UNBOUNDED_TARGETING, path, growth, flag.key);
    return { definition, rule: null, ruleError: growth, needsFlagd };
  }
  warnUnknownResults(definition, calling, evaluators, problems);
  yield;
  if (unchanged && before.ruleError === null) return reused(before);
  const broken = refs.map((name) => evaluators.get(name).error).find((error) => error !== null);
  try {
    if (broken !== undefined) throw new Error(broken);
    const guarded = guardRule(calling);
    yield;
    const compiled = targetingEngine.build(guarded, evaluators.table(refs));
    return { definition, rule: compiled, ruleError: null, needsFlagd };
  } catch (error) {
    const message = `targeting does not compile: ${describeRuleError(error)}`;
    problems.warning(
      DocumentProblemCode.TARGETING_NOT_COMPILABLE,
      path,
      `${message}; the flag evaluates to PARSE_ERROR`,
      flag.key,
    );
    return { definition, rule: null, ruleError: message, needsFlagd };
  }
}

/** The compiled form of a flag whose definition did not change. */
function reused(before: CompiledFlag): TargetingOutcome {
  const { definition, rule, ruleError, needsFlagd } = before;
  return { definition, rule, ruleError, needsFlagd };
}

/** A literal result that names no variant answers GENERAL whenever a context reaches it. */
function warnUnknownResults(
  flag: FlagDefinition,
  rule: JsonValue,
  evaluators: DocumentEvaluators,
  problems: ProblemList,
): void {
  const variants = Object.keys(flag.variants);
  const reported = new Set<string>();
  for (const result of literalResults(rule, [], (name) => evaluators.get(name).results)) {
    if (Object.hasOwn(flag.variants, result.value)) continue;
    const at =
      result.evaluator === undefined
        ? pointer('flags', flag.key, 'targeting', ...result.at)
        : pointer('$evaluators', result.evaluator, ...result.at);
    // An evaluator called from several branches: its result is reported once for the flag.
    if (reported.has(at)) continue;
    reported.add(at);
    problems.warning(
      DocumentProblemCode.UNKNOWN_RESULT_VARIANT,
      at,
      `rule result ${JSON.stringify(result.value)} is not one of the variants (${variants.join(', ')}); evaluations that reach it answer GENERAL`,
      flag.key,
    );
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    // An array by index: Object.keys of a 200,000-id list makes 200,000 strings.
    if (Array.isArray(value)) for (const item of value as unknown[]) deepFreeze(item);
    else for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
