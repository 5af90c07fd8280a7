import { createTargetingEngine } from '.';

describe('targeting engine', () => {
  const engine = createTargetingEngine();

  it('registers the four custom operators for compiled rules', () => {
    const data = {
      id: 'abcxyz',
      version: '2.1.0',
      targetingKey: 'jon@company.com',
      $flagd: { flagKey: 'fractional-flag-shorthand', timestamp: 0 },
    };
    expect(engine.build({ starts_with: [{ var: 'id' }, 'abc'] })(data)).toBe(true);
    expect(engine.build({ ends_with: [{ var: 'id' }, 'xyz'] })(data)).toBe(true);
    expect(engine.build({ sem_ver: [{ var: 'version' }, '>=', '2.0.0'] })(data)).toBe(true);
    expect(engine.build({ fractional: [['heads'], ['tails', 1]] })(data)).toBe('heads');
  });

  it('evaluates nested rules inside fractional buckets', () => {
    const rule = {
      fractional: ['any', [{ if: [{ '==': [{ var: 'tier' }, 'premium'] }, 'gold', 'silver'] }, 1]],
    };
    expect(engine.build(rule)({ tier: 'premium' })).toBe('gold');
    expect(engine.build(rule)({ tier: 'basic' })).toBe('silver');
  });

  it('refuses to compile unknown operators', () => {
    expect(() => engine.build({ no_such_operator: [1] })).toThrow();
  });

  it('treats prototype-less objects like plain ones for truthiness', () => {
    const empty = Object.create(null) as object;
    expect(engine.build({ if: [{ var: 'x' }, 'yes', 'no'] })({ x: empty })).toBe('no');
    expect(
      engine.build({ if: [{ var: 'x' }, 'yes', 'no'] })({
        x: Object.assign(Object.create(null) as object, { a: 1 }),
      }),
    ).toBe('yes');
  });

  it('compiles an `in` over a long list of literals by reference: answers as written, built without generating it', () => {
    const ruleOver = (list: unknown[]) => ({ if: [{ in: [{ var: 'id' }, list] }, 'listed', 'not listed'] });
    // A new list each time, as a deploy brings: V8 would reuse the code generated for a text it has seen.
    const builds = [1, 2, 3].map((round) => {
      const rule = ruleOver(Array.from({ length: 40_000 }, (_, i) => `round-${round}-user-${i}`));
      const started = performance.now();
      engine.build(rule);
      return performance.now() - started;
    });
    const list = [...Array.from({ length: 40_000 }, (_, i) => `user-${i}`), 7, null];
    const run = engine.build(ruleOver(list));
    for (const id of ['user-0', 'user-39999', 7, null]) expect(run({ id })).toBe('listed');
    for (const id of ['user-40000', '7', 'user-']) expect(run({ id })).toBe('not listed');
    expect(engine.buildEvaluator(ruleOver(list))({ id: 'user-123' }, undefined)).toBe('listed');
    expect(list).toHaveLength(40_002); // read, never changed
    // Generated as code, each list took 100-180 ms to build here; kept by reference, 5-45 ms (walks of the rule).
    expect(Math.min(...builds)).toBeLessThan(70);
  });
});
