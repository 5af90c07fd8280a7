import type {
  CompiledFlags,
  EvaluationContext,
  EvaluationOptions,
  EvaluationResult,
  FlagValueType,
} from '@flagfleet/flag-engine';
import type { SourceKey } from '@flagfleet/config-store';
import type { ConfigSnapshot } from '../snapshots/config-snapshot';
import type { SnapshotRegistry } from '../snapshots/snapshot-registry';
import type { EvaluationMetrics } from './evaluation-metrics';
import type { EvaluationProtocol } from './evaluation-protocol';
import type { EvaluationRefusal } from './evaluation-refusal';

/** A source that serves flags now: its snapshot and compiled flags. */
export interface ServedFlags {
  readonly refusal?: undefined;
  readonly snapshot: ConfigSnapshot;
  readonly flags: CompiledFlags;
}

export interface EvaluationRequest {
  readonly protocol: EvaluationProtocol;
  /** undefined or empty: the default source. */
  readonly source?: SourceKey;
  readonly key: string;
  readonly context: EvaluationContext;
  readonly type?: FlagValueType;
}

export interface BulkEvaluationRequest {
  readonly protocol: EvaluationProtocol;
  readonly source?: SourceKey;
  readonly context: EvaluationContext;
  /** Only these flags (the agent's `flag` filter; one is timed as `single`); every flag without it (`bulk`). */
  readonly keys?: readonly string[];
}

export type Evaluation = {
  readonly refusal?: undefined;
  readonly result: EvaluationResult;
  readonly snapshot: ConfigSnapshot;
};
export type BulkEvaluation = {
  readonly refusal?: undefined;
  readonly results: EvaluationResult[];
  readonly snapshot: ConfigSnapshot;
  readonly flags: CompiledFlags;
};

// One options object per type, not one per evaluation: flagd's typed calls are its hot path.
const EXPECTED_TYPE: Readonly<Record<FlagValueType, EvaluationOptions>> = {
  boolean: { expectedType: 'boolean' },
  string: { expectedType: 'string' },
  number: { expectedType: 'number' },
  object: { expectedType: 'object' },
};

/**
 * The one seam every protocol evaluates through: resolves the source (the same refusals for all), evaluates,
 * counts each evaluation once with its protocol and times the request. Protocols only map the outcome to
 * their wire.
 */
export class EvaluationPort {
  constructor(
    private readonly snapshots: SnapshotRegistry,
    private readonly metrics: EvaluationMetrics,
  ) {}

  /** The flags a request reads, or why it reads none. */
  resolve(
    source: SourceKey | undefined,
  ): ServedFlags | Exclude<EvaluationRefusal, { refusal: 'invalid-context' }> {
    const key = source === undefined || source === '' ? this.snapshots.defaultSource : source;
    const snapshot = this.snapshots.get(key);
    if (snapshot === undefined)
      return { refusal: this.snapshots.has(key) ? 'not-loaded' : 'unknown-source', source: key };
    if (snapshot.flags === null) return { refusal: 'not-flags', source: key, snapshot };
    return { snapshot, flags: snapshot.flags };
  }

  /** The source a request without one reads. */
  get defaultSource(): SourceKey {
    return this.snapshots.defaultSource;
  }

  /** Every source this replica serves, the default first (flagd's `flagSetId=` selector looks through them). */
  sources(): SourceKey[] {
    const first = this.snapshots.defaultSource;
    return [first, ...this.snapshots.sources().filter((source) => source !== first)];
  }

  evaluate(request: EvaluationRequest): Evaluation | EvaluationRefusal {
    const served = this.resolve(request.source);
    if (served.refusal !== undefined) return served;
    return { result: this.evaluateIn(served.flags, request), snapshot: served.snapshot };
  }

  /** One flag of flags already resolved (a flagd selector's view of a source), counted and timed as `evaluate`. */
  evaluateIn(flags: CompiledFlags, request: Omit<EvaluationRequest, 'source'>): EvaluationResult {
    const started = this.metrics.started();
    const result = flags.evaluateFlag(
      request.key,
      request.context,
      request.type === undefined ? undefined : EXPECTED_TYPE[request.type],
    );
    this.metrics.timed('single', started);
    this.metrics.count(request.protocol, result, 1);
    return result;
  }

  evaluateAll(request: BulkEvaluationRequest): BulkEvaluation | EvaluationRefusal {
    const served = this.resolve(request.source);
    if (served.refusal !== undefined) return served;
    return { results: this.evaluateServed(request, served.flags), ...served };
  }

  /** Bulk evaluation of flags already resolved (the agent checks its filter against them first; a flagd selector's view). */
  evaluateServed(request: Omit<BulkEvaluationRequest, 'source'>, flags: CompiledFlags): EvaluationResult[] {
    const started = this.metrics.started();
    const results =
      request.keys === undefined
        ? flags.evaluateAll(request.context)
        : request.keys.map((key) => flags.evaluateFlag(key, request.context));
    this.metrics.timed(request.keys?.length === 1 ? 'single' : 'bulk', started);
    for (const result of results) this.metrics.count(request.protocol, result, 1);
    return results;
  }

  /**
   * For protocols that memoise answers per snapshot (OFREP): time one evaluation here and hand the counts in
   * batches through `count`, so the hot path allocates nothing per request.
   */
  timeSingle(flags: CompiledFlags, key: string, context: EvaluationContext): EvaluationResult {
    const started = this.metrics.started();
    const result = flags.evaluateFlag(key, context);
    this.metrics.timed('single', started);
    return result;
  }

  timeBulk(flags: CompiledFlags, context: EvaluationContext): EvaluationResult[] {
    const started = this.metrics.started();
    const results = flags.evaluateAll(context);
    this.metrics.timed('bulk', started);
    return results;
  }

  count(protocol: EvaluationProtocol, result: EvaluationResult, times: number): void {
    this.metrics.count(protocol, result, times);
  }
}
