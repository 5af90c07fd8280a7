import { compileFlagDocument } from './compile-document';
import { unboundedGrowth } from './unbounded-growth';
import type { JsonValue } from '../model';

const acc = { var: 'accumulator' };
const steps = Array.from({ length: 28 }, (_, i) => i);
/** The rule that doubled an array 28 times at compile time (constant folding) and aborted V8. */
const DOUBLING_RULE = { if: [{ reduce: [steps, { merge: [acc, acc] }, [1]] }, 'on', null] };

const documentWith = (targeting: unknown): string =>
  JSON.stringify({
    flags: {
      safe: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' },
      doubling: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting },
    },
  });

describe('rules whose result can grow without bound', () => {
  it('rejects the document with the 28-step doubling rule, naming the flag, quickly and without running it', () => {
    const started = Date.now();
    const outcome = compileFlagDocument(documentWith(DOUBLING_RULE));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors).toEqual([
      expect.objectContaining({
        flagKey: 'doubling',
        path: '/flags/doubling/targeting',
        severity: 'error',
        code: 'FLAGFLEET_TARGETING_UNBOUNDED',
      }),
    ]);
  });

  it.each([
    ['cat of the accumulator with itself', { reduce: [{ var: 'list' }, { cat: [acc, acc] }, 'x'] }],
    ['the same rule over a context array', { reduce: [{ var: 'list' }, { merge: [acc, acc] }, [1]] }],
    [
      'an accumulator path and a map over it',
      { reduce: [{ var: 'l' }, { merge: [acc, { map: [acc, 1] }] }] },
    ],
    ['a computed path', { reduce: [{ var: 'l' }, { merge: [acc, { var: { var: 'k' } }] }] }],
    ['the whole step context', { reduce: [{ var: 'l' }, { merge: [{ var: '' }, { val: 'accumulator' }] }] }],
    [
      'the outer accumulator of a nested reduce',
      { reduce: [[1], { reduce: [[1], { merge: [acc, { var: '../accumulator' }] }] }] },
    ],
    ['a pipe stage doubling its input', { pipe: [[1], { merge: [{ var: '' }, { var: '' }] }] }],
  ])('rejects %s', (_name, rule) => {
    expect(unboundedGrowth(rule as JsonValue)).toMatch(/doubles/);
  });

  it.each([
    ['a sum', { reduce: [{ var: 'l' }, { '+': [acc, { var: 'current' }] }, 0] }],
    [
      'linear growth (bounded by the evaluation budget)',
      { reduce: [{ var: 'l' }, { merge: [acc, [{ var: 'current' }]] }, []] },
    ],
    [
      'a condition reading the accumulator twice',
      { reduce: [{ var: 'l' }, { if: [{ '<': [acc, 3] }, { '+': [acc, 1] }, acc] }, 0] },
    ],
    ['merge outside any reduce', { merge: [{ var: 'a' }, { var: 'a' }] }],
    ['preserved data', { preserve: { reduce: [[1], { merge: [acc, acc] }] } }],
  ])('accepts %s', (_name, rule) => {
    expect(unboundedGrowth(rule as JsonValue)).toBeNull();
  });
});
