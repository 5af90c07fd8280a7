import { murmur3 } from './murmur3';

export const FRACTIONAL = 'fractional';

/** flagd caps the total weight at int32 max so that `h * total` stays below 2^63. */
export const MAX_TOTAL_WEIGHT = 2147483647;

/** A bucket's variant: whatever the (possibly nested) rule evaluated to; `null` selects the default variant. */
export type BucketVariant = string | number | boolean | null;

export interface Distribution {
  readonly variants: readonly BucketVariant[];
  readonly weights: readonly number[];
  readonly total: number;
}

/**
 * Parse step: evaluated bucket arguments `[variant, weight=1]` into a distribution, or null when malformed.
 * Weights are integers; negatives count as 0 (rollout arithmetic may go below zero); a total of 0 or above
 * int32 max is rejected.
 */
export function parseDistribution(buckets: readonly unknown[]): Distribution | null {
  if (buckets.length === 0) return null;
  const variants: BucketVariant[] = [];
  const weights: number[] = [];
  let total = 0;
  for (const bucket of buckets) {
    if (!Array.isArray(bucket) || bucket.length === 0 || bucket.length > 2) return null;
    const variant: unknown = bucket[0];
    if (variant === null || variant === undefined) variants.push(null);
    else if (typeof variant === 'string' || typeof variant === 'number' || typeof variant === 'boolean') variants.push(variant);
    else return null;
    let weight = 1;
    if (bucket.length === 2) {
      const raw: unknown = bucket[1];
      if (typeof raw !== 'number' || !Number.isInteger(raw)) return null;
      weight = raw < 0 ? 0 : raw;
    }
    weights.push(weight);
    total += weight;
  }
  if (total === 0 || total > MAX_TOTAL_WEIGHT) return null;
  return { variants, weights, total };
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

/** Evaluate step: hash the bucketing value and walk the running sum. */
export function pickBucket(bucketingValue: string, distribution: Distribution): BucketVariant {
  const bucket = bucketOf(murmur3(bucketingValue), distribution.total);
  let sum = 0;
  for (let i = 0; i < distribution.weights.length; i++) {
    sum += distribution.weights[i];
    if (sum > bucket) return distribution.variants[i];
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
  let bucketingValue: string;
  let buckets: readonly unknown[];
  if (typeof args[0] === 'string') {
    bucketingValue = args[0];
    buckets = args.slice(1);
  } else {
    const flagd = readProperty(context, '$flagd');
    const flagKey = readProperty(flagd, 'flagKey');
    const targetingKey = readProperty(context, 'targetingKey');
    if (typeof flagKey !== 'string' || typeof targetingKey !== 'string' || targetingKey === '') return null;
    bucketingValue = flagKey + targetingKey;
    buckets = args;
  }
  const distribution = parseDistribution(buckets);
  return distribution === null ? null : pickBucket(bucketingValue, distribution);
}

function readProperty(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
