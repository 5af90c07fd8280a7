import { createTargetingEngine } from '.';
import { MAX_EVALUATION_WORK } from './evaluation-budget';

describe('evaluation budget', () => {
  const engine = createTargetingEngine();
  const list = (length: number): number[] => Array.from({ length }, (_, i) => i);
  const quadratic = {
    reduce: [{ var: 'list' }, { merge: [{ var: 'accumulator' }, [{ var: 'current' }]] }, []],
  };

  it('stops a rule whose work exceeds the budget, well under a second, with a clear error', () => {
    const rule = engine.build(quadratic);
    const started = Date.now();
    expect(() => rule({ list: list(1_000) })).toThrow(`evaluation budget of ${MAX_EVALUATION_WORK} steps`);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('counts nested iterations together', () => {
    const nested = {
      some: [{ var: 'a' }, { some: [{ var: '../../b' }, { some: [{ var: '../../../../c' }, false] }] }],
    };
    const rule = engine.build(nested);
    expect(rule({ a: list(10), b: list(10), c: list(10) })).toBe(false);
    expect(() => rule({ a: list(100), b: list(100), c: list(100) })).toThrow('evaluation budget');
  });

  it('bounds growth the validation cannot see (merge of many copies in a pipe of constants)', () => {
    const copies = { merge: Array.from({ length: 50 }, () => ({ var: 'list' })) };
    const rule = engine.build({ map: [copies, { merge: [{ var: '../../list' }, { var: '../../list' }] }] });
    expect(() => rule({ list: list(1_000) })).toThrow('evaluation budget');
  });

  it('gives every run the whole budget again, and leaves ordinary rules alone', () => {
    const rule = engine.build(quadratic);
    for (let run = 0; run < 5; run++) expect(rule({ list: list(300) })).toHaveLength(300);
    expect(engine.build({ cat: ['a', 1, null, 'b'] })({})).toBe('a1b');
    expect(engine.build({ merge: [[1, 2], 3, [[4]]] })({})).toEqual([1, 2, 3, [4]]);
    expect(engine.build({ in: ['beta', { var: 'groups' }] })({ groups: ['alpha', 'beta'] })).toBe(true);
  });

  it('resets the budget for every rule that can charge it, whatever ran before', () => {
    const plain = engine.build({ if: [{ in: [{ var: 'plan' }, ['pro']] }, 'on', null] });
    const big = engine.build({ merge: [{ var: 'list' }, { var: 'list' }] });
    expect(() => engine.build(quadratic)({ list: list(1_000) })).toThrow('evaluation budget');
    expect(plain({ plan: 'pro' })).toBe('on');
    // 90,000 units: fits only in a fresh budget.
    expect(big({ list: list(45_000) })).toHaveLength(90_000);
  });
});
