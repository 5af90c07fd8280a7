import type { JsonObject } from '@bufbuild/protobuf';
import type { EvaluationResult, FlagValue, FlagValueType } from '@flagfleet/flag-engine';
import type { FlagdSnapshots } from '../flagd-options';
import { selectedFlags, selectedSource } from '../selection/source-selector';

/** One flag of the source the call's `flagd-selector` header names (the default source without it). */
export function resolveFlag(
  snapshots: FlagdSnapshots,
  selector: string | null,
  request: { readonly flagKey: string; readonly context?: JsonObject },
  expectedType: FlagValueType,
): EvaluationResult {
  const { flags } = selectedFlags(snapshots, selectedSource(snapshots, selector, undefined));
  return flags.evaluateFlag(request.flagKey, request.context ?? {}, { expectedType });
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
