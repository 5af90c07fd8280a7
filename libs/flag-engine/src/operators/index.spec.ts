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
});
