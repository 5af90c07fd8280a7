import { compileOrThrow } from '../../test/compile';
import { createTargetingEngine } from '.';

describe('context lookups read own properties only', () => {
  const engine = createTargetingEngine();
  const run = (rule: unknown, context: unknown): unknown => engine.build(rule)(context);

  it('a computed var path cannot reach the prototype chain ("constructor.name")', () => {
    expect(run({ var: { var: 'k' } }, { k: 'constructor.name' })).toBeNull();
    expect(run({ var: [{ var: 'k' }, 'fallback'] }, { k: 'toString.name' })).toBe('fallback');
    expect(run({ var: { cat: ['constr', 'uctor'] } }, {})).toBeNull();
  });

  it.each([
    ['a literal path through an inherited method', { var: 'email.toString.name' }, { email: 'a@b.c' }, null],
    ['val', { val: { var: 'k' } }, { k: 'hasOwnProperty' }, null],
    ['a val path', { val: ['user', { var: 'k' }] }, { k: 'constructor', user: {} }, null],
    ['get', { get: [{ var: 'user' }, { var: 'k' }] }, { k: 'constructor.name', user: {} }, null],
    ['exists', { exists: { var: 'k' } }, { k: 'toString' }, false],
    ['missing', { missing: [{ var: 'k' }] }, { k: 'valueOf' }, ['valueOf']],
    ['missing_some', { missing_some: [1, ['toString', 'constructor']] }, {}, ['toString', 'constructor']],
  ])('%s', (_name, rule, context, expected) => {
    expect(run(rule, context)).toEqual(expected);
  });

  it('still reads own properties: nested keys, array indices and lengths, string lengths, defaults, scopes', () => {
    const context = { user: { tier: 'gold', tags: ['a', 'b'] }, name: 'ada', k: 'user.tier' };
    expect(run({ var: 'user.tier' }, context)).toBe('gold');
    expect(run({ var: { var: 'k' } }, context)).toBe('gold');
    expect(run({ var: 'user.tags.1' }, context)).toBe('b');
    expect(run({ var: 'user.tags.length' }, context)).toBe(2);
    expect(run({ var: 'name.length' }, context)).toBe(3);
    expect(run({ var: ['nobody', 'x'] }, context)).toBe('x');
    expect(run({ val: ['user', 'tier'] }, context)).toBe('gold');
    expect(run({ get: [{ var: 'user' }, 'tags.0'] }, context)).toBe('a');
    expect(run({ exists: ['user', 'tier'] }, context)).toBe(true);
    expect(run({ missing: ['name', 'user.plan'] }, context)).toEqual(['user.plan']);
    expect(run({ missing_some: [1, ['name', 'plan']] }, context)).toEqual([]);
    expect(
      run({ map: [{ var: 'user.tags' }, { cat: [{ var: '' }, { var: '../../name' }] }] }, context),
    ).toEqual(['aada', 'bada']);
  });

  it('holds for flags in a document, by OFREP evaluation', () => {
    const flags = compileOrThrow({
      flags: {
        computed: {
          state: 'ENABLED',
          variants: { Object: 'leaked', none: 'safe' },
          defaultVariant: 'none',
          targeting: { var: { var: 'k' } },
        },
      },
    });
    expect(flags.evaluateFlag('computed', { k: 'constructor.name' })).toMatchObject({
      value: 'safe',
      reason: 'DEFAULT',
    });
  });
});
