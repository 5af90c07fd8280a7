import type { JsonObject } from '@bufbuild/protobuf';
import type { EvaluationResult, FlagValue, FlagValueType } from '@flagfleet/flag-engine';
import type { EvaluationPort } from '@flagfleet/serving';
import { refusalError, selectorSource } from '../selection/source-selector';

/**
 * One flag of the source the call's `flagd-selector` header names (the default source without it), through the
 * evaluation port (resolved, evaluated, counted and timed there); refusals thrown as flagd's gRPC errors.
 */
export function resolveFlag(
  port: EvaluationPort,
  protocol: 'flagd-v1' | 'flagd-v2',
  selector: string | null,
  request: { readonly flagKey: string; readonly context?: JsonObject },
  type: FlagValueType,
): EvaluationResult {
  const source = selectorSource(selector, undefined);
  const evaluation = port.evaluate({
    protocol,
    source,
    key: request.flagKey,
    context: request.context ?? {},
    type,
  });
  if (evaluation.refusal !== undefined) throw refusalError(evaluation);
  return evaluation.result;
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
