import { murmur3, murmur3Joined } from './murmur3';
import { ownProperty } from './own-data';

export const FRACTIONAL = 'fractional';

/** flagd caps the total weight at int32 max so that `h * total` stays below 2^63. */
export const MAX_TOTAL_WEIGHT = 2147483647;

/** A bucket's variant: whatever the (possibly nested) rule evaluated to; `null` selects the default variant. */
export type BucketVariant = string | number | boolean | null;

/**
 * Parse step: checks the evaluated buckets `[variant, weight=1]` from `start` on and answers their total
 * weight, or null when malformed. Weights are integers; negatives count as 0 (rollout arithmetic may go
 * below zero); a total of 0 or above int32 max is rejected. Variants are strings, numbers, booleans or null
 * (null selects the default variant).
 */
export function totalWeight(buckets: readonly unknown[], start = 0): number | null {
  if (buckets.length <= start) return null;
  let total = 0;
  for (let i = start; i < buckets.length; i++) {
    const bucket: unknown = buckets[i];
    if (!Array.isArray(bucket) || bucket.length === 0 || bucket.length > 2) return null;
    const variant: unknown = bucket[0];
    if (
      variant !== null &&
      variant !== undefined &&
      typeof variant !== 'string' &&
      typeof variant !== 'number' &&
      typeof variant !== 'boolean'
    ) {
      return null;
    }
    const weight = weightOf(bucket);
    if (weight === null) return null;
    total += weight;
  }
  return total === 0 || total > MAX_TOTAL_WEIGHT ? null : total;
}

function weightOf(bucket: readonly unknown[]): number | null {
  if (bucket.length < 2) return 1;
  const raw = bucket[1];
  if (typeof raw !== 'number' || !Number.isInteger(raw)) return null;
  return raw < 0 ? 0 : raw;
}

/**
 * `(h * total) >> 32` in exact integer arithmetic without BigInt: split h into 16-bit halves so every
 * intermediate stays below 2^53.
 */
export function bucketOf(hash: number, total: number): number {
  const high = Math.floor(hash / 0x10000) * total;
  const low = (hash & 0xffff) * total;
  return Math.floor((high + Math.floor(low / 0x10000)) / 0x10000);
}

/** Evaluate step: the first bucket (from `start`) whose running sum exceeds `(h * total) >> 32`. */
export function pickBucket(
  buckets: readonly unknown[],
  start: number,
  total: number,
  hash: number,
): BucketVariant {
  const bucket = bucketOf(hash, total);
  let sum = 0;
  for (let i = start; i < buckets.length; i++) {
    const entry = buckets[i] as readonly unknown[];
    sum += weightOf(entry) as number;
    if (sum > bucket) return (entry[0] ?? null) as BucketVariant;
  }
  return null;
}

/**
 * `{"fractional": [bucketBy?, [variant, weight]...]}` — deterministic percentage split.
 * When the first argument is a string it is the bucketing value; otherwise the value is
 * `$flagd.flagKey + targetingKey`.
 *
 * @example {"fractional": [["red", 50], ["blue", 50]]} with targetingKey "jon@company.com"
 *   hashes "<flagKey>jon@company.com" and answers "red" or "blue", the same every time.
 */
export function fractional(args: unknown, context: unknown): BucketVariant {
  if (!Array.isArray(args) || args.length === 0) return null;
  const start = typeof args[0] === 'string' ? 1 : 0;
  const total = totalWeight(args, start);
  if (total === null) return null;
  const hash = start === 1 ? murmur3(args[0] as string) : contextHash(context);
  return hash === null ? null : pickBucket(args, start, total, hash);
}

/** The hash of `$flagd.flagKey + targetingKey`, or null when either is missing. */
function contextHash(context: unknown): number | null {
  const flagKey = ownProperty(ownProperty(context, '$flagd'), 'flagKey');
  const targetingKey = ownProperty(context, 'targetingKey');
  if (typeof flagKey !== 'string' || typeof targetingKey !== 'string' || targetingKey === '') return null;
  return murmur3Joined(flagKey, targetingKey);
}

/**
 * Compile step for the common form, literal buckets bucketed by `$flagd.flagKey + targetingKey`: the buckets
 * are checked and summed once, and each evaluation only hashes and picks. Null for any other form (a
 * `bucketBy`, computed variants or weights, malformed buckets): `fractional` then runs on the evaluated
 * arguments.
 */
export function compileFractional(args: unknown): ((context: unknown) => BucketVariant) | null {
  if (!Array.isArray(args) || args.length === 0 || !Array.isArray(args[0])) return null;
  const total = totalWeight(args);
  if (total === null) return null;
  const variants: BucketVariant[] = [];
  const ends: number[] = [];
  let sum = 0;
  for (const bucket of args as readonly (readonly unknown[])[]) {
    sum += weightOf(bucket) as number;
    variants.push((bucket[0] ?? null) as BucketVariant);
    ends.push(sum);
  }
  return (context) => {
    const hash = contextHash(context);
    if (hash === null) return null;
    const bucket = bucketOf(hash, total);
    for (let i = 0; i < ends.length; i++) if (ends[i] > bucket) return variants[i];
    return null;
  };
}
