import { murmur3 } from '../../operators/murmur3';
import { asText } from './operands';

export const APPCONFIG_SPLIT = 'appconfig_split';

const TWO_TO_32 = 4294967296;

/**
 * The split bucket of a value, in [0, 100): MurmurHash3 x86 32-bit of the value's UTF-8 bytes, its murmur3 seed
 * being the hash (seed 0) of the split's `seed` when one is given, else of the flag key; scaled to 0..100.
 * AWS does not publish its hash: this one is flagfleet's, stable across replicas, restarts and versions.
 */
export function splitBucket(value: string, seed: string | null, flagKey: string): number {
  return (murmur3(value, murmur3(seed ?? flagKey)) / TWO_TO_32) * 100;
}

/**
 * The split test with its constant parts prepared once (the compiled form calls this): the hash seed and the
 * threshold `pct / 100 * 2^32`, so an evaluation hashes the value alone.
 */
export function compileSplit(
  pct: number,
  seed: string | null,
  flagKey: string,
): (value: unknown) => boolean | null {
  const hashSeed = murmur3(seed ?? flagKey);
  const threshold = (pct / 100) * TWO_TO_32;
  return (value) => {
    if (value === null || value === undefined) return null;
    const text = typeof value === 'string' ? value : asText(value);
    return text === null ? null : murmur3(text, hashSeed) < threshold;
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
  return splitBucket(text, seed, flagKey) < pct;
}
