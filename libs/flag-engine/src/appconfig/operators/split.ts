import { murmur3 } from '../../operators/murmur3';
import { asText, isMissing } from './operands';

export const APPCONFIG_SPLIT = 'appconfig_split';

const TWO_TO_32 = 4294967296;

/**
 * The split bucket of a value, in [0, 100): MurmurHash3 x86 32-bit (seed 0) of the UTF-8 bytes of
 * `seed + ":" + value` when a seed is given, else of `flagKey + ":" + value`, scaled to 0..100.
 * AWS does not publish its hash: this one is flagfleet's, stable across replicas, restarts and versions.
 */
export function splitBucket(value: string, seed: string | null, flagKey: string): number {
  return (murmur3(`${seed ?? flagKey}:${value}`) / TWO_TO_32) * 100;
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
  const [pct, value, seed, flagKey] = args as unknown[];
  if (isMissing(value)) return null;
  const text = asText(value);
  if (text === null || typeof pct !== 'number' || typeof flagKey !== 'string') return null;
  if (seed !== null && typeof seed !== 'string') return null;
  return splitBucket(text, seed, flagKey) < pct;
}
