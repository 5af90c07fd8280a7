import {
  ErrorCode,
  type EvaluationContext,
  type EvaluationOptions,
  type EvaluationResult,
  type FlagDefinition,
  type FlagMetadata,
  type JsonObject,
  type JsonValue,
} from '../model';
import type { DocumentFormat } from '../document/parsed-document';
import { errorResult, type CompiledFlag } from './compiled-flag';
import { checkContext, cloneContext, type TargetingContext } from './context';
import { evaluateCompiledFlag } from './evaluate-flag';

/** An immutable, compiled document: evaluation reads only memory and never throws. */
export interface CompiledFlags {
  readonly format: DocumentFormat;
  readonly keys: readonly string[];
  readonly definitions: ReadonlyMap<string, FlagDefinition>;
  /** Document-level metadata (flag metadata overrides it per flag, as flagd). */
  readonly metadata: FlagMetadata;
  /** The document's `$evaluators` as written (a definition's targeting holds them resolved). */
  readonly evaluators: Readonly<Record<string, JsonValue>>;
  /**
   * A flag's targeting as the document wrote it, its `$ref`s unresolved (undefined when the document has no
   * `$evaluators`: then it is the definition's): what flagd sync clients are sent to resolve themselves.
   */
  writtenTargeting(key: string): JsonObject | undefined;
  /**
   * The flags of one flag set, as flagd's `flagSetId=` selector reads them: a flag's `metadata.flagSetId`, its own
   * over the document's; `null` for the flags of no set. Empty when none is of that set.
   */
  inFlagSet(id: string | null): CompiledFlags;
  evaluateFlag(key: string, context: EvaluationContext, options?: EvaluationOptions): EvaluationResult;
  /** Every flag, in document order (flagd's bulk semantics: errors are included as results). */
  evaluateAll(context: EvaluationContext, options?: EvaluationOptions): EvaluationResult[];
}

/** A flag's set: its metadata's `flagSetId` (the document's unless it has its own); null when none is a string. */
function flagSetOf(flag: CompiledFlag): string | null {
  const id = flag.metadata.flagSetId;
  return typeof id === 'string' && id !== '' ? id : null;
}

export class CompiledFlagSet implements CompiledFlags {
  readonly keys: readonly string[];
  readonly definitions: ReadonlyMap<string, FlagDefinition>;
  private readonly flags: ReadonlyMap<string, CompiledFlag>;
  private readonly ordered: readonly CompiledFlag[];
  /** Built on the first `inFlagSet` (a flagd selector): one view per set the document holds, kept with it. */
  private readonly flagSets = new Map<string | null, CompiledFlags>();

  constructor(
    readonly format: DocumentFormat,
    flags: readonly CompiledFlag[],
    readonly metadata: FlagMetadata,
    readonly evaluators: Readonly<Record<string, JsonValue>> = {},
    private readonly written: ReadonlyMap<string, JsonObject> = new Map(),
  ) {
    this.ordered = Object.freeze([...flags]);
    this.flags = new Map(flags.map((flag) => [flag.key, flag]));
    this.keys = Object.freeze(flags.map((flag) => flag.key));
    this.definitions = new Map(flags.map((flag) => [flag.key, flag.definition]));
    Object.freeze(this);
  }

  /** The compiled form of one flag (a later compile reuses it when the flag's definition did not change). */
  compiled(key: string): CompiledFlag | undefined {
    return this.flags.get(key);
  }

  writtenTargeting(key: string): JsonObject | undefined {
    return this.written.get(key);
  }

  inFlagSet(id: string | null): CompiledFlags {
    if (this.flagSets.size === 0 && this.ordered.length > 0) {
      const members = new Map<string | null, CompiledFlag[]>();
      for (const flag of this.ordered) {
        const set = flagSetOf(flag);
        const list = members.get(set);
        if (list === undefined) members.set(set, [flag]);
        else list.push(flag);
      }
      for (const [set, flags] of members)
        this.flagSets.set(
          set,
          new CompiledFlagSet(this.format, flags, this.metadata, this.evaluators, this.written),
        );
    }
    return this.flagSets.get(id === '' ? null : id) ?? NO_FLAGS;
  }

  evaluateFlag(key: string, context: EvaluationContext, options?: EvaluationOptions): EvaluationResult {
    try {
      const flag = this.flags.get(key);
      if (flag === undefined)
        return errorResult(key, ErrorCode.FLAG_NOT_FOUND, `flag "${key}" not found`, this.metadata);
      const check = checkContext(context);
      if (!check.ok) return errorResult(key, ErrorCode.INVALID_CONTEXT, check.reason, flag.metadata);
      if (flag.rule === null) return evaluateCompiledFlag(flag, null, options);
      const own = flag.needsFlagd || check.hasPrototypeKeys;
      return evaluateCompiledFlag(
        flag,
        own
          ? cloneContext(context, check, { flagKey: key, timestamp: timestamp(options) })
          : (context ?? EMPTY_CONTEXT),
        options,
      );
    } catch (error) {
      return failed(key, error, this.metadata);
    }
  }

  evaluateAll(context: EvaluationContext, options?: EvaluationOptions): EvaluationResult[] {
    const check = checkContext(context);
    if (!check.ok) {
      const { reason } = check;
      return this.ordered.map((flag) =>
        errorResult(flag.key, ErrorCode.INVALID_CONTEXT, reason, flag.metadata),
      );
    }
    const direct = check.hasPrototypeKeys ? null : (context ?? EMPTY_CONTEXT);
    let prepared: TargetingContext | null = null;
    const results: EvaluationResult[] = new Array(this.ordered.length);
    for (let i = 0; i < this.ordered.length; i++) {
      const flag = this.ordered[i];
      try {
        let target: object | null = null;
        if (flag.rule !== null && !flag.needsFlagd && direct !== null) target = direct;
        else if (flag.rule !== null) {
          // One copy for the whole bulk evaluation; only `$flagd.flagKey` changes between flags.
          prepared ??= cloneContext(context, check, {
            flagKey: flag.key,
            timestamp: timestamp(options),
          });
          prepared.$flagd.flagKey = flag.key;
          target = prepared;
        }
        results[i] = evaluateCompiledFlag(flag, target, options);
      } catch (error) {
        results[i] = failed(flag.key, error, flag.metadata);
      }
    }
    return results;
  }
}

// Rules that cannot read `$flagd` run on the caller's context; an absent one reads as empty.
const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});

/** A defect, not a rule problem: still an answer, never an exception. */
function failed(key: string, error: unknown, metadata: FlagMetadata): EvaluationResult {
  return errorResult(
    key,
    ErrorCode.GENERAL,
    `evaluation failed: ${error instanceof Error ? error.message : 'unknown error'}`,
    metadata,
  );
}

function timestamp(options: EvaluationOptions | undefined): number {
  return Math.floor((options?.now ?? Date.now()) / 1000);
}

/** No flags at all: what a flagd selector that matches nothing reads (FLAG_NOT_FOUND, `{"flags":{}}`). */
export const NO_FLAGS: CompiledFlags = new CompiledFlagSet('flagd', [], Object.freeze({}));
