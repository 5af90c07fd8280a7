import fc from 'fast-check';
import { compileFlagDocument, type EvaluationContext } from '../src';
import { fractional } from '../src/operators/fractional';
import { compileOrThrow } from './compile';

describe('properties', () => {
  it('fractional splits 100k random keys within 1% of the weights', () => {
    const weights = [10, 20, 30, 40];
    const buckets = weights.map((weight, i) => [`v${i}`, weight]);
    const counts = new Map<unknown, number>();
    const keys = fc.sample(fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' }), {
      numRuns: 100_000,
      seed: 42,
    });
    for (const key of keys) {
      const variant = fractional(buckets, {
        targetingKey: key,
        $flagd: { flagKey: 'rollout', timestamp: 0 },
      });
      counts.set(variant, (counts.get(variant) ?? 0) + 1);
    }
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((weight, i) => {
      expect(Math.abs((counts.get(`v${i}`) ?? 0) / keys.length - weight / total)).toBeLessThan(0.01);
    });
  });

  describe('evaluation never throws and always answers a result', () => {
    const flags = compileOrThrow({
      flags: {
        all: {
          state: 'ENABLED',
          variants: { a: 'a', b: 'b', c: 'c' },
          defaultVariant: 'a',
          targeting: {
            if: [
              { sem_ver: [{ var: 'version' }, '>=', '1.2.0'] },
              {
                fractional: [
                  ['a', 1],
                  ['b', 1],
                  ['c', 1],
                ],
              },
              { starts_with: [{ var: 'user.name' }, 'x'] },
              'b',
              { ends_with: [{ var: 'email' }, '.org'] },
              'c',
              { var: 'pick' },
            ],
          },
        },
        reduce: {
          state: 'ENABLED',
          variants: { '0': 0, '1': 1 },
          defaultVariant: '0',
          targeting: {
            '%': [{ reduce: [{ var: 'list' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] }, 2],
          },
        },
        static: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' },
      },
    });
    const special = fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'targetingKey',
      '$flagd',
      'version',
      'email',
      'pick',
      'list',
      'user',
      'toString',
    );
    const key = fc.oneof(special, fc.string());
    const context = fc.dictionary(key, fc.jsonValue({ maxDepth: 4 }), {
      maxKeys: 8,
    }) as fc.Arbitrary<EvaluationContext>;

    it('for random contexts', () => {
      fc.assert(
        fc.property(context, (ctx) => {
          for (const result of flags.evaluateAll(ctx)) {
            expect(['STATIC', 'DEFAULT', 'TARGETING_MATCH', 'DISABLED', 'ERROR']).toContain(result.reason);
            expect(result.reason === 'ERROR').toBe(result.errorCode !== undefined);
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { numRuns: 500, seed: 7 },
      );
    });

    it('for random values of any type in place of a context', () => {
      fc.assert(
        fc.property(fc.anything(), (value) => {
          expect(() => flags.evaluateFlag('all', value as EvaluationContext)).not.toThrow();
          expect(() => flags.evaluateAll(value as EvaluationContext)).not.toThrow();
        }),
        { numRuns: 300, seed: 11 },
      );
    });
  });

  it('compiling never throws for random documents', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string(),
          fc.uint8Array(),
        ),
        (content) => {
          expect(() => compileFlagDocument(content)).not.toThrow();
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });
});
