import type { CompiledRule } from '../operators';
import { attributeMetadata } from '../appconfig/attributes';
import { ErrorCode, Reason, type EvaluationResult, type FlagDefinition, type FlagMetadata } from '../model';

/**
 * A flag with everything an evaluation can answer prepared once: the compiled rule and the frozen
 * results for each outcome that does not depend on the context, so the hot path allocates nothing.
 */
export interface CompiledFlag {
  readonly key: string;
  readonly definition: FlagDefinition;
  readonly metadata: FlagMetadata;
  /** Null when there is no targeting, or when it could not compile (then `fixed` is the PARSE_ERROR). */
  readonly rule: CompiledRule | null;
  /** The rule may read `$flagd` (or the whole context): it needs the engine's copy of the context. */
  readonly needsFlagd: boolean;
  /** Why the targeting cannot run, when it cannot (then `fixed` is the PARSE_ERROR). */
  readonly ruleError: string | null;
  /** The answer when no rule runs: DISABLED, STATIC, DEFAULT without value, or PARSE_ERROR. */
  readonly fixed: EvaluationResult;
  /** Targeting gave null: the default variant (or none) with reason DEFAULT. */
  readonly fallback: EvaluationResult;
  /** Targeting named a variant: one frozen TARGETING_MATCH result per variant. */
  readonly matches: ReadonlyMap<string, EvaluationResult>;
  readonly typeMismatch: Readonly<Record<string, EvaluationResult>>;
}

export interface CompiledTargeting {
  readonly rule: CompiledRule | null;
  /** Why the targeting cannot run (unknown `$ref`, does not compile); the flag then answers PARSE_ERROR. */
  readonly ruleError: string | null;
  readonly needsFlagd: boolean;
}

// Marks results prepared here, returned to every evaluation that ends the same way. A property, not a WeakSet:
// a set of every result of every document rehashes tens of thousands of entries in one go as it grows.
const SHARED = Symbol('flagfleet.sharedResult');

/**
 * True for a result prepared once per document and returned to every evaluation that ends this way
 * (STATIC, DEFAULT, DISABLED, each TARGETING_MATCH variant, TYPE_MISMATCH, a rule's PARSE_ERROR): callers may
 * cache what they derive from it by identity. False for results made for one evaluation (errors with details).
 */
export function isSharedResult(result: EvaluationResult): boolean {
  return (result as { [SHARED]?: true })[SHARED] === true;
}

function shared(result: EvaluationResult): EvaluationResult {
  // Not enumerable: invisible to JSON, spreads and equality checks.
  Object.defineProperty(result, SHARED, { value: true });
  return Object.freeze(result);
}

export function prepareFlag(
  definition: FlagDefinition,
  documentMetadata: FlagMetadata,
  targeting: CompiledTargeting,
): CompiledFlag {
  const { rule, ruleError, needsFlagd } = targeting;
  const { key, variants, defaultVariant } = definition;
  const metadata: FlagMetadata = Object.freeze({ ...documentMetadata, ...definition.metadata });
  // AppConfig flags: the chosen variant's primitive attributes join the metadata.
  const metadataOf = (variant: string): FlagMetadata =>
    definition.appConfig === undefined
      ? metadata
      : Object.freeze({ ...metadata, ...attributeMetadata(definition, variant) });
  const withVariant = (reason: Reason, variant: string | undefined): EvaluationResult =>
    shared(
      variant === undefined
        ? { key, reason, metadata }
        : { key, value: variants[variant], variant, reason, metadata: metadataOf(variant) },
    );
  const fallback = withVariant(Reason.DEFAULT, defaultVariant);
  let fixed: EvaluationResult;
  if (definition.state === 'DISABLED') fixed = shared({ key, reason: Reason.DISABLED, metadata });
  else if (ruleError !== null) fixed = shared(errorFields(key, ErrorCode.PARSE_ERROR, ruleError, metadata));
  else if (definition.targeting === undefined && defaultVariant !== undefined)
    fixed = withVariant(Reason.STATIC, defaultVariant);
  else fixed = fallback;
  const matches = new Map<string, EvaluationResult>();
  for (const variant of Object.keys(variants))
    matches.set(variant, withVariant(Reason.TARGETING_MATCH, variant));
  const typeMismatch: Record<string, EvaluationResult> = {};
  for (const expected of ['boolean', 'string', 'number', 'object'] as const) {
    typeMismatch[expected] = shared(
      errorFields(
        key,
        ErrorCode.TYPE_MISMATCH,
        `flag "${key}" is of type ${definition.valueType}, not ${expected}`,
        metadata,
      ),
    );
  }
  return {
    key,
    definition,
    metadata,
    rule,
    needsFlagd,
    ruleError,
    fixed,
    fallback,
    matches,
    typeMismatch: Object.freeze(typeMismatch),
  };
}

export function errorResult(
  key: string,
  errorCode: ErrorCode,
  errorDetails: string,
  metadata: FlagMetadata,
): EvaluationResult {
  return Object.freeze(errorFields(key, errorCode, errorDetails, metadata));
}

function errorFields(
  key: string,
  errorCode: ErrorCode,
  errorDetails: string,
  metadata: FlagMetadata,
): EvaluationResult {
  return { key, reason: Reason.ERROR, errorCode, errorDetails, metadata };
}
