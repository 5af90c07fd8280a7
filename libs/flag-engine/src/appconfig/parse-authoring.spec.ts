import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileFlagDocument, type CompileOutcome } from '../compile/compile-document';

const AWS_EXAMPLE = readFileSync(resolve(__dirname, '../../test/fixtures/aws-ui-refresh.json'), 'utf8');

type Doc = {
  version?: unknown;
  flags?: Record<string, unknown>;
  values?: Record<string, unknown>;
  [k: string]: unknown;
};
const doc = (overrides: Doc): string => JSON.stringify({ version: '1', ...overrides });
const flag = (attributes?: Record<string, unknown>): Record<string, unknown> =>
  attributes === undefined ? { name: 'A flag' } : { name: 'A flag', attributes };

function problems(
  outcome: CompileOutcome,
): { flagKey?: string; path: string; code: string; message: string }[] {
  if (outcome.ok) throw new Error('expected a rejection');
  return outcome.errors.map(({ flagKey, path, code, message }) => ({ flagKey, path, code, message }));
}

describe('AppConfig authoring document', () => {
  it("evaluates AWS's documented ui_refresh example: QA, Beta Testers, a 10 % split, the default", () => {
    const outcome = compileFlagDocument(AWS_EXAMPLE);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const flags = outcome.flags;
    expect(flags.format).toBe('appconfig-feature-flags');
    expect(flags.evaluateFlag('ui_refresh', { email: 'jane_doe@qa-testers.mycompany.com' })).toEqual({
      key: 'ui_refresh',
      value: true,
      variant: 'QA',
      reason: 'TARGETING_MATCH',
      metadata: { dark_mode_support: true },
    });
    expect(flags.evaluateFlag('ui_refresh', { opted_in_to_beta: 'false' })).toMatchObject({
      variant: 'Beta Testers',
    });
    expect(flags.evaluateFlag('ui_refresh', {})).toEqual({
      key: 'ui_refresh',
      value: false,
      variant: 'Default Variant',
      reason: 'DEFAULT',
      metadata: {},
    });
    let sample = 0;
    for (let i = 0; i < 10_000; i++)
      if (flags.evaluateFlag('ui_refresh', { email: `${i}@example.org` }).variant === 'Sample Population')
        sample++;
    expect(sample).toBeGreaterThan(900);
    expect(sample).toBeLessThan(1100);
    expect(flags.definitions.get('ui_refresh')?.appConfig).toEqual({
      multiVariant: true,
      attributes: {
        QA: { dark_mode_support: true },
        'Beta Testers': { dark_mode_support: true },
        'Sample Population': { dark_mode_support: false },
        'Default Variant': { dark_mode_support: false },
      },
    });
  });

  it('reads basic flags with every attribute kind, keeps arrays, and treats a flag without values as off', () => {
    const outcome = compileFlagDocument(
      doc({
        flags: {
          limits: flag({
            tier: { constraints: { type: 'string', enum: ['gold', 'silver'] } },
            max: { constraints: { type: 'number', minimum: 1, maximum: 10, required: true } },
            regions: { constraints: { type: 'array', elements: { type: 'string', pattern: '^[a-z]{2}-' } } },
            weights: { constraints: { type: 'array', elements: { type: 'number', minimum: 0 } } },
            beta: { constraints: { type: 'boolean' } },
            note: {},
          }),
          unset: flag(),
        },
        values: {
          limits: {
            enabled: true,
            tier: 'gold',
            max: 3,
            regions: ['eu-west-1'],
            weights: [1, 2.5],
            beta: false,
            note: 'x',
            _createdAt: 't',
          },
        },
      }),
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    expect(outcome.flags.evaluateFlag('limits', {})).toEqual({
      key: 'limits',
      value: true,
      variant: 'on',
      reason: 'STATIC',
      metadata: { tier: 'gold', max: 3, beta: false, note: 'x' },
    });
    expect(outcome.flags.definitions.get('limits')?.appConfig?.attributes.on).toEqual({
      tier: 'gold',
      max: 3,
      regions: ['eu-west-1'],
      weights: [1, 2.5],
      beta: false,
      note: 'x',
    });
    expect(outcome.flags.evaluateFlag('unset', {})).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'STATIC',
    });
  });

  it.each([
    ['version 2', doc({ version: '2', flags: {} }), 'FLAGFLEET_APPCONFIG_INVALID_SHAPE', '/version'],
    [
      'an unknown top-level field',
      doc({ flags: {}, extra: 1 }),
      'FLAGFLEET_APPCONFIG_INVALID_SHAPE',
      '/extra',
    ],
    [
      'a flag key with a capital',
      doc({ flags: { Bad: flag() } }),
      'FLAGFLEET_APPCONFIG_INVALID_KEY',
      '/flags/Bad',
    ],
    ['a flag without name', doc({ flags: { a: {} } }), 'FLAGFLEET_APPCONFIG_INVALID_SHAPE', '/flags/a/name'],
    [
      'a value for an undefined flag',
      doc({ flags: {}, values: { a: { enabled: true } } }),
      'FLAGFLEET_APPCONFIG_INVALID_KEY',
      '/values/a',
    ],
    [
      'an attribute out of range',
      doc({
        flags: { a: flag({ n: { constraints: { type: 'number', maximum: 5 } } }) },
        values: { a: { enabled: true, n: 6 } },
      }),
      'FLAGFLEET_APPCONFIG_ATTRIBUTE_CONSTRAINT',
      '/values/a/n',
    ],
    [
      'a string not matching its pattern',
      doc({
        flags: { a: flag({ s: { constraints: { type: 'string', pattern: '^x' } } }) },
        values: { a: { enabled: true, s: 'y' } },
      }),
      'FLAGFLEET_APPCONFIG_ATTRIBUTE_CONSTRAINT',
      '/values/a/s',
    ],
    [
      'an array element of the wrong type',
      doc({
        flags: { a: flag({ l: { constraints: { type: 'array', elements: { type: 'number' } } } }) },
        values: { a: { enabled: true, l: [1, 'x'] } },
      }),
      'FLAGFLEET_APPCONFIG_ATTRIBUTE_CONSTRAINT',
      '/values/a/l',
    ],
    [
      'a missing required attribute',
      doc({
        flags: { a: flag({ r: { constraints: { type: 'string', required: true } } }) },
        values: { a: { enabled: true } },
      }),
      'FLAGFLEET_APPCONFIG_ATTRIBUTE_CONSTRAINT',
      '/values/a',
    ],
    [
      'an undeclared attribute',
      doc({ flags: { a: flag() }, values: { a: { enabled: true, x: 1 } } }),
      'FLAGFLEET_APPCONFIG_ATTRIBUTE_CONSTRAINT',
      '/values/a/x',
    ],
    [
      'pattern and enum together',
      doc({ flags: { a: flag({ s: { constraints: { type: 'string', pattern: 'x', enum: ['x'] } } }) } }),
      'FLAGFLEET_APPCONFIG_ATTRIBUTE_CONSTRAINT',
      '/flags/a/attributes/s/constraints',
    ],
  ])('rejects %s, naming flag, path and code', (_name, content, code, path) => {
    const [first] = problems(compileFlagDocument(content));
    expect({ code: first.code, path: first.path }).toEqual({ code, path });
  });

  const variants = (list: unknown[]): string =>
    doc({ flags: { a: flag() }, values: { a: { _variants: list } } });
  const dflt = { name: 'default', enabled: false };

  it.each([
    [
      '33 variants',
      variants([
        ...Array.from({ length: 32 }, (_, i) => ({ name: `v${i}`, enabled: true, rule: '(eq $a 1)' })),
        dflt,
      ]),
      'FLAGFLEET_APPCONFIG_INVALID_VARIANT',
      'at most 32 variants',
    ],
    [
      'a default variant with a rule',
      variants([{ ...dflt, rule: '(eq $a 1)' }]),
      'FLAGFLEET_APPCONFIG_INVALID_VARIANT',
      'must not have a rule',
    ],
    [
      'a variant without rule before the default',
      variants([{ name: 'x', enabled: true }, dflt]),
      'FLAGFLEET_APPCONFIG_INVALID_VARIANT',
      'only the default variant',
    ],
    [
      'a repeated variant name',
      variants([
        { name: 'd', enabled: true, rule: '(eq $a 1)' },
        { name: 'd', enabled: false },
      ]),
      'FLAGFLEET_APPCONFIG_INVALID_VARIANT',
      'used twice',
    ],
    [
      'a rule that does not parse',
      variants([{ name: 'x', enabled: true, rule: '(eq $a "b"' }, dflt]),
      'FLAGFLEET_APPCONFIG_RULE_SYNTAX',
      'variant "x": the rule does not parse at character 11',
    ],
    [
      'an unknown operator',
      variants([{ name: 'x', enabled: true, rule: '(like $a "b")' }, dflt]),
      'FLAGFLEET_APPCONFIG_RULE_INVALID',
      'variant "x": the rule is not valid at character 1: unknown operator "like"',
    ],
    [
      'a pattern that needs backtracking (a backreference)',
      variants([{ name: 'x', enabled: true, rule: '(matches in::$a pattern::"(a+)\\\\1")' }, dflt]),
      'FLAGFLEET_APPCONFIG_RULE_INVALID',
      'variant "x": the rule is not valid at character 26: pattern:: "(a+)\\\\1" is not a valid regular expression in RE2 syntax',
    ],
  ])('rejects %s', (_name, content, code, message) => {
    const [first] = problems(compileFlagDocument(content));
    expect(first.flagKey).toBe('a');
    expect(first.code).toBe(code);
    expect(first.message).toContain(message);
  });

  it('accepts exactly 32 variants and evaluates them in order, first true rule wins', () => {
    const list = [
      ...Array.from({ length: 31 }, (_, i) => ({ name: `v${i}`, enabled: true, rule: `(gte $n ${30 - i})` })),
      dflt,
    ];
    const outcome = compileFlagDocument(variants(list));
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    expect(outcome.flags.evaluateFlag('a', { n: 100 }).variant).toBe('v0');
    expect(outcome.flags.evaluateFlag('a', { n: '5' }).variant).toBe('v25');
    expect(outcome.flags.evaluateFlag('a', { n: -1 })).toMatchObject({
      variant: 'default',
      reason: 'DEFAULT',
    });
  });

  it('omits attributes of a disabled chosen variant from the metadata', () => {
    const content = doc({
      flags: { a: flag({ color: {} }) },
      values: {
        a: {
          _variants: [
            { name: 'off', enabled: false, rule: '(eq $x 1)', attributeValues: { color: 'red' } },
            { name: 'd', enabled: true, attributeValues: { color: 'blue' } },
          ],
        },
      },
    });
    const outcome = compileFlagDocument(content);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    expect(outcome.flags.evaluateFlag('a', { x: 1 })).toMatchObject({
      variant: 'off',
      value: false,
      metadata: {},
    });
    expect(outcome.flags.evaluateFlag('a', {})).toMatchObject({
      variant: 'd',
      value: true,
      metadata: { color: 'blue' },
    });
  });

  it('never throws on malformed documents', () => {
    for (const content of [
      doc({ flags: [] as unknown as Record<string, unknown> }),
      doc({ flags: { a: 1 } }),
      doc({ flags: { a: flag() }, values: { a: { _variants: 'x' } } }),
      doc({ flags: { a: flag() }, values: { a: { _variants: [1, null] } } }),
    ])
      expect(compileFlagDocument(content).ok).toBe(false);
  });
});
