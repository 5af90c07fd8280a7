import fc from 'fast-check';
import { compileFlagDocument, type CompiledFlags } from '../src';

/** A multi-variant flag whose variants are `(split …)` rules, in order, then a default. */
function splitFlags(rules: readonly string[], key = 'exp'): CompiledFlags {
  const outcome = compileFlagDocument(
    JSON.stringify({
      version: '1',
      flags: { [key]: { name: 'Experiment' } },
      values: {
        [key]: {
          _variants: [
            ...rules.map((rule, i) => ({ name: String.fromCharCode(65 + i), enabled: true, rule })),
            { name: 'C', enabled: false },
          ],
        },
      },
    }),
  );
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.flags;
}

function shares(flags: CompiledFlags, key = 'exp', count = 100_000): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const variant = flags.evaluateFlag(key, { uniqueId: `id-${i}` }).variant ?? 'none';
    counts[variant] = (counts[variant] ?? 0) + 1;
  }
  for (const name of Object.keys(counts)) counts[name] /= count;
  return counts;
}

describe('AppConfig split', () => {
  it.each([1, 10, 33.3, 50])('gives %s %% of 100k keys within 0.5 %%', (pct) => {
    const result = shares(splitFlags([`(split by::$uniqueId pct::${pct})`]));
    expect(Math.abs((result.A ?? 0) * 100 - pct)).toBeLessThan(0.5);
  });

  it('nests sequential splits on the same hash, as AWS documents: A 20 % then B 20 % gives B nothing', () => {
    const result = shares(splitFlags(['(split by::$uniqueId pct::20)', '(split by::$uniqueId pct::20)']));
    expect(Math.abs(result.A * 100 - 20)).toBeLessThan(0.5);
    expect(result.B ?? 0).toBe(0);
  });

  it('nests sequential splits on the same hash: A 20 % then B 25 % gives A 20 %, B 5 %, the default 75 %', () => {
    const result = shares(splitFlags(['(split by::$uniqueId pct::20)', '(split by::$uniqueId pct::25)']));
    expect(Math.abs(result.A * 100 - 20)).toBeLessThan(0.5);
    expect(Math.abs(result.B * 100 - 5)).toBeLessThan(0.5);
    expect(Math.abs(result.C * 100 - 75)).toBeLessThan(0.5);
  });

  it('splits independently with different seeds: B takes 25 % of the 80 % A leaves', () => {
    const result = shares(
      splitFlags(['(split by::$uniqueId pct::20 seed::"one")', '(split by::$uniqueId pct::25 seed::"two")']),
    );
    expect(Math.abs(result.A * 100 - 20)).toBeLessThan(0.5);
    expect(Math.abs(result.B * 100 - 20)).toBeLessThan(0.5);
  });

  it('is deterministic and sticky: the same value always gets the same variant, in any compile', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 100 }), (value, pct) => {
        const rule = [`(split by::$uniqueId pct::${pct})`];
        const first = splitFlags(rule).evaluateFlag('exp', { uniqueId: value }).variant;
        expect(splitFlags(rule).evaluateFlag('exp', { uniqueId: value }).variant).toBe(first);
      }),
      { numRuns: 200 },
    );
  });

  it('with a seed depends only on seed and value (the same across flags); without one, on the flag too', () => {
    const seeded = (key: string): CompiledFlags =>
      splitFlags(['(split by::$uniqueId pct::50 seed::"s")'], key);
    const unseeded = (key: string): CompiledFlags => splitFlags(['(split by::$uniqueId pct::50)'], key);
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(seeded('one').evaluateFlag('one', { uniqueId: value }).variant).toBe(
          seeded('two').evaluateFlag('two', { uniqueId: value }).variant,
        );
      }),
      { numRuns: 200 },
    );
    let differ = 0;
    for (let i = 0; i < 1000; i++) {
      const context = { uniqueId: `id-${i}` };
      if (
        unseeded('one').evaluateFlag('one', context).variant !==
        unseeded('two').evaluateFlag('two', context).variant
      )
        differ++;
    }
    expect(differ).toBeGreaterThan(400);
  });

  it('grows monotonically: raising pct only adds values', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 99 }), (value, pct) => {
        const low = splitFlags([`(split by::$uniqueId pct::${pct})`]).evaluateFlag('exp', {
          uniqueId: value,
        });
        const high = splitFlags([`(split by::$uniqueId pct::${pct + 1})`]).evaluateFlag('exp', {
          uniqueId: value,
        });
        if (low.variant === 'A') expect(high.variant).toBe('A');
      }),
      { numRuns: 200 },
    );
  });

  it('a missing by:: value never matches', () => {
    expect(splitFlags(['(split by::$uniqueId pct::100)']).evaluateFlag('exp', {}).variant).toBe('C');
  });
});
