import type { AppConfigOperatorDescriptor } from './descriptor';
import type { RuleClosure } from './descriptor';
import { contextKey, known, NO } from '../flagd/truth';
import { murmur3, murmur3Prefixed } from '../../operators/murmur3';
import { asText } from './operands';

export const APPCONFIG_SPLIT = 'appconfig_split';

/** flagd caps a fractional's total weight at 2^31 - 1: 100 × 10^7 fits, so `pct` keeps 7 decimals. */
const MAX_PCT_DECIMALS = 7;

/** A split's share as flagd `fractional` weights: `inWeight` of `totalWeight` (integers, `pct` exactly when it has ≤ 7 decimals). */
export interface SplitWeights {
  readonly inWeight: number;
  readonly totalWeight: number;
}

export function splitWeights(pct: number): SplitWeights {
  let scale = 1;
  for (let decimals = 0; decimals < MAX_PCT_DECIMALS; decimals++, scale *= 10)
    if (Math.round(pct * scale) / scale === pct) break;
  return { inWeight: Math.round(pct * scale), totalWeight: 100 * scale };
}

/**
 * The string a split hashes: its `seed` when one is given, else the flag key, followed by the value (flagd's own
 * default bucketing is flag key + targeting key, so an unseeded split by `$targetingKey` buckets as flagd does).
 */
export function splitBucketingKey(text: string, seed: string | null, flagKey: string): string {
  return (seed ?? flagKey) + text;
}

/**
 * The split bucket of a value, as flagd's `fractional` computes it (open-feature/flagd
 * core/pkg/evaluator/fractional.go, @openfeature/flagd-core): `floor(murmur3_x86_32(key) × totalWeight / 2^32)`,
 * the hash of the key's UTF-8 bytes with seed 0; the split is true when the bucket is below `inWeight`.
 */
export function splitBucket(
  value: string,
  seed: string | null,
  flagKey: string,
  totalWeight: number,
): number {
  return Number((BigInt(murmur3(splitBucketingKey(value, seed, flagKey))) * BigInt(totalWeight)) >> 32n);
}

/**
 * The split test with its constant parts prepared once (the compiled form calls this): `bucket < inWeight` is
 * `hash < ceil(inWeight × 2^32 / totalWeight)`, an exact integer threshold, so an evaluation hashes and compares.
 */
export function compileSplit(
  pct: number,
  seed: string | null,
  flagKey: string,
): (value: unknown) => boolean | null {
  const { inWeight, totalWeight } = splitWeights(pct);
  const total = BigInt(totalWeight);
  const threshold = Number(((BigInt(inWeight) << 32n) + total - 1n) / total);
  const hash = murmur3Prefixed(seed ?? flagKey);
  return (value) => {
    if (value === null || value === undefined) return null;
    const text = typeof value === 'string' ? value : asText(value);
    return text === null ? null : hash(text) < threshold;
  };
}

/**
 * `(split pct::20 by::$userId seed::"s")` compiled as `[pct, value, seed | null, flagKey]`: true for `pct` percent
 * of the values, the same ones every time. Variants are tried in order, so sequential splits on the same hash
 * nest: A 20 % then B 25 % gives A 20 %, B 5 %; different seeds split independently. Null (unknown) when the
 * value is not provided.
 *
 * @example (split pct::10 by::$email) is true for about 1 email in 10, always the same ones for that flag
 */
export function appconfigSplit(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 4) return null;
  const pct: unknown = args[0];
  const value: unknown = args[1];
  const seed: unknown = args[2];
  const flagKey: unknown = args[3];
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : asText(value);
  if (text === null || typeof pct !== 'number' || typeof flagKey !== 'string') return null;
  if (seed !== null && typeof seed !== 'string') return null;
  const { inWeight, totalWeight } = splitWeights(pct);
  return splitBucket(text, seed, flagKey, totalWeight) < inWeight;
}

/** A split with constant pct, seed and flag key hashes only the value per evaluation. */
function splitClosure(parts: readonly RuleClosure[], args: readonly unknown[]): RuleClosure {
  const [pct, , seed, flagKey] = args;
  if (typeof pct !== 'number' || (seed !== null && typeof seed !== 'string') || typeof flagKey !== 'string')
    return () => null;
  const test = compileSplit(pct, seed, flagKey);
  const value = parts[1];
  return (context) => test(value(context));
}

export const split: AppConfigOperatorDescriptor = {
  ruleName: 'split',
  operands: 'split',
  name: APPCONFIG_SPLIT,
  evaluate: appconfigSplit,
  deterministic: true,
  closure: splitClosure,
  /** flagd's `fractional` over the same bucketing string and integer weights: identical buckets. */
  flagd: (args, rules) => {
    const [pct, x, seed, flagKey] = args;
    if (
      typeof pct !== 'number' ||
      contextKey(x) === undefined ||
      typeof flagKey !== 'string' ||
      (seed !== null && typeof seed !== 'string')
    )
      return NO(x === undefined ? '`split` without `by`' : rules.operandProblem(x, null));
    const { inWeight, totalWeight } = splitWeights(pct);
    const bucket = {
      fractional: [{ cat: [seed ?? flagKey, x] }, ['in', inWeight], ['out', totalWeight - inWeight]],
    };
    return known([x], { '===': [bucket, 'in'] });
  },
};
