import { DocumentProblemCode, type DocumentProblem } from '../errors';
import { parseDocument } from '../document/parse-document';
import { ProblemList, pointer } from '../document/problems';
import { drainSteps, runInSlices, type Steps } from '../steps';
import { DEFAULT_DOCUMENT_LIMITS, oversizeBytes, type DocumentLimits } from '../document/document-limits';
import { CompiledFlagSet, type CompiledFlags } from '../evaluation/compiled-flags';
import { prepareFlag, type CompiledFlag } from '../evaluation/compiled-flag';
import { sameDefinition } from '../diff-flags';
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
    for (const parsed of document.flags) {
      const before = previous?.compiled(parsed.key);
      const { definition, rule, ruleError } = compileTargeting(parsed, document.evaluators, problems, before);
      if (before !== undefined && definition === before.definition && sameMetadata) flags.push(before);
      else {
        const needsFlagd = definition.targeting !== undefined && readsFlagd(definition.targeting);
        flags.push(prepareFlag(deepFreeze(definition), document.metadata, { rule, ruleError, needsFlagd }));
      }
      yield;
    }
    if (problems.errors.length > 0) return { ok: false, errors: problems.errors };
    return {
      ok: true,
      flags: new CompiledFlagSet(document.format, flags, metadata),
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
}

function compileTargeting(
  flag: FlagDefinition,
  evaluators: Readonly<Record<string, JsonValue>>,
  problems: ProblemList,
  before: CompiledFlag | undefined,
): TargetingOutcome {
  const resolved = flag.targeting === undefined ? null : resolveRefs(flag.targeting, evaluators);
  const candidate: FlagDefinition = resolved === null ? flag : { ...flag, targeting: resolved.rule };
  const unchanged = before !== undefined && sameDefinition(before.definition, candidate);
  const definition = unchanged ? before.definition : candidate;
  if (resolved === null) return unchanged ? reused(before) : { definition, rule: null, ruleError: null };
  const path = pointer('flags', flag.key, 'targeting');
  const { rule, missing } = resolved;
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
  if (unchanged && before.ruleError === null) return reused(before);
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

/** The compiled form of a flag whose definition did not change. */
function reused(before: CompiledFlag): TargetingOutcome {
  return { definition: before.definition, rule: before.rule, ruleError: before.ruleError };
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
