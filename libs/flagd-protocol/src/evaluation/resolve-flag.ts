import type { JsonObject } from '@bufbuild/protobuf';
import type { EvaluationResult, FlagMetadata, FlagValue, FlagValueType } from '@flagfleet/flag-engine';
import type { EvaluationPort } from '@flagfleet/serving';
import { parseSelector, selectedFlags } from '../selection/source-selector';

/**
 * One flag of what the call's `flagd-selector` header selects (the default source without it), through the
 * evaluation port (evaluated, counted and timed there); refusals thrown as flagd's gRPC errors. The selector's
 * `source`/`flagSetId` join the answer's metadata under the flag's own, as flagd reflects them.
 */
export function resolveFlag(
  port: EvaluationPort,
  protocol: 'flagd-v1' | 'flagd-v2',
  selector: string | null,
  request: { readonly flagKey: string; readonly context?: JsonObject },
  type: FlagValueType,
): EvaluationResult {
  const { flags, reflected } = selectedFlags(port, parseSelector(selector, undefined));
  const result = port.evaluateIn(flags, {
    protocol,
    key: request.flagKey,
    context: request.context ?? {},
    type,
  });
  return reflected === null ? result : withReflected(result, reflected);
}

/** The answer with the selector's metadata under the flag's own (a new object: results may be shared). */
function withReflected(result: EvaluationResult, reflected: FlagMetadata): EvaluationResult {
  return { ...result, metadata: { ...reflected, ...result.metadata } };
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** ResolveInt truncates toward zero, as flagd does; null when the value does not fit in int64. */
export function toInt64(value: number): bigint | null {
  const truncated = BigInt(Math.trunc(value));
  return truncated > INT64_MAX || truncated < INT64_MIN ? null : truncated;
}

/** An object flag is answered as a Struct: arrays cannot be one. */
export function isStructValue(value: FlagValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
