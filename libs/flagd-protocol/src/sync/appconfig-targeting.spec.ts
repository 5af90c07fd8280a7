import fc from 'fast-check';
import { FlagdCore } from '@openfeature/flagd-core';
import { compileFlagDocument, type CompiledFlags, type JsonValue } from '@flagfleet/flag-engine';
import { inProcessGaps, syncDocument } from './sync-document';

const UNLIMITED = Number.MAX_SAFE_INTEGER;
const QUIET = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A multi-variant AppConfig flag `f`: variant `hit` for `rule`, else the disabled default `miss`. */
function appConfigFlag(rules: readonly string[], key = 'f'): CompiledFlags {
  const outcome = compileFlagDocument(
    JSON.stringify({
      version: '1',
      flags: { [key]: { name: key } },
      values: {
        [key]: {
          _variants: [
            ...rules.map((rule, i) => ({ name: `hit${i}`, enabled: true, rule })),
            { name: 'miss', enabled: false },
          ],
        },
      },
    }),
  );
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.flags;
}

interface Pair {
  readonly flags: CompiledFlags;
  readonly core: FlagdCore;
  readonly targeting: JsonValue;
}

/** The engine's flag and @openfeature/flagd-core loaded with the sync document of it. */
function pair(rules: readonly string[], key = 'f'): Pair {
  const flags = appConfigFlag(rules, key);
  const document = syncDocument(flags, UNLIMITED);
  const core = new FlagdCore(undefined, QUIET);
  core.setConfigurations(document);
  const parsed = JSON.parse(document) as { flags: Record<string, { targeting: JsonValue }> };
  return { flags, core, targeting: parsed.flags[key].targeting };
}

function flagfleetVariant(p: Pair, context: Record<string, unknown>, key = 'f'): string | undefined {
  return p.flags.evaluateFlag(key, context as never).variant;
}

function flagdVariant(p: Pair, context: Record<string, unknown>, key = 'f'): string | undefined {
  const result = p.core.resolveBooleanEvaluation(key, false, context as never, QUIET);
  return result.errorCode === undefined ? result.variant : `error ${result.errorCode}`;
}

/** Context values of every JSON type, near-misses and coercible texts included. */
const VALUES: readonly unknown[] = [
  undefined,
  null,
  '',
  'abc',
  'Abc',
  'ab',
  'abcd',
  'xabc',
  'b',
  'z',
  '5',
  '05',
  ' 5 ',
  '5.0',
  '+5',
  '-5',
  '.5',
  '5.',
  '5e0',
  '0.5E1',
  '\u00a05\t',
  '4.99',
  '10',
  '-0',
  '0',
  '0x5',
  '0b1',
  '0o5',
  'Infinity',
  '-Infinity',
  ' ',
  '\t',
  '-',
  '.',
  'e5',
  'v2',
  '1.2.3',
  '5 5',
  'true',
  'false',
  'TRUE',
  'a.b',
  'jane@qa-testers.mycompany.com',
  'qa-testers.mycompany.com',
  'josé',
  5,
  0,
  -1,
  4.99,
  5.01,
  10,
  -5,
  12345,
  1.5,
  true,
  false,
  [],
  ['abc'],
  ['ab', 'abc', 5],
  ['5'],
  [5],
  [true],
  [['abc']],
  {},
  { abc: 1 },
];

/**
 * The values a split answers the same for in flagd-core: strings, numbers, booleans. Two documented differences
 * (docs/flagd.md): flagd-core hashes UTF-16 code units where flagd (Go) and flagfleet hash UTF-8 bytes, so
 * non-ASCII texts bucket differently there; and a list or object `by` value is unknown to flagfleet while
 * flagd's `cat` writes it out.
 */
function splitAnswersAlike(value: unknown): boolean {
  if (typeof value === 'string') return /^[\x00-\x7f]*$/.test(value);
  return value === null || value === undefined || typeof value !== 'object';
}

function contexts(rule: string): Array<Record<string, unknown>> {
  return VALUES.filter((value) => !rule.includes('split') || splitAnswersAlike(value)).map((value) =>
    value === undefined ? {} : { x: value },
  );
}

const hasAppConfigOperator = (targeting: JsonValue): boolean =>
  JSON.stringify(targeting).includes('"appconfig_');

/** Rules with an exact standard equivalent: each alone, negated, and in three-valued compounds. */
const TRANSLATED: readonly string[] = [
  '(eq $x "abc")',
  '(eq "abc" $x)',
  '(eq $x "5")',
  '(eq $x " 5 ")',
  '(eq $x "true")',
  '(eq $x true)',
  '(eq $x false)',
  '(gt $x "abc")',
  '(gte $x "abc")',
  '(lt $x "b")',
  '(gt $x true)',
  '(gte $x false)',
  '(lt $x "true")',
  '(lte false $x)',
  '(lte "b" $x)',
  '(begins_with $x "ab")',
  '(ends_with $x "bc")',
  '(ends_with $x "qa-testers.mycompany.com")',
  '(contains $x "abc")',
  '(contains $x "b")',
  // Texts that "true" or "false" hold: a boolean is one more case (issue 23: these were untranslated).
  '(begins_with $x "a")',
  '(begins_with $x "t")',
  '(begins_with $x true)',
  '(ends_with $x "se")',
  '(ends_with $x "ue")',
  '(contains $x "a")',
  '(contains $x "als")',
  // The context value second: the literal holds it.
  '(begins_with "abcd" $x)',
  '(ends_with "xabc" $x)',
  '(contains "xabcd" $x)',
  '(contains "not true" $x)',
  '(in $x ["abc", "z"])',
  '(in $x ["5", "true"])',
  '(in $x [true, "abc"])',
  '(in $x [])',
  '(in $x ["05", "-0"])',
  '(exists key::"x")',
  '(split pct::50 by::$x)',
  '(split pct::33.3 by::$x seed::"s")',
  'true',
  'false',
];

describe('AppConfig rules as flagd JSON Logic: flagfleet and @openfeature/flagd-core answer the same', () => {
  it.each(TRANSLATED)('%s: alone, negated, and in and/or with a missing key', (rule) => {
    const rules = [
      rule,
      `(not ${rule})`,
      `(and ${rule} (eq $y "on"))`,
      `(or ${rule} (eq $y "on"))`,
      `(not (and ${rule} (eq $y "on")))`,
      `(not (or ${rule} (eq $y "on")))`,
    ];
    for (const variants of rules) {
      const p = pair([variants]);
      expect(hasAppConfigOperator(p.targeting)).toBe(false);
      for (const context of contexts(rule))
        for (const y of [undefined, 'on', 'off']) {
          const full = y === undefined ? context : { ...context, y };
          expect([variants, full, flagdVariant(p, full)]).toEqual([
            variants,
            full,
            flagfleetVariant(p, full),
          ]);
        }
    }
  });

  /** Numeric literals: flagd-core's `+` and order operators fail on lists, objects and texts such as "1.2.3". */
  const NUMBER_ERRORS = new Set<unknown>(['1.2.3', '5 5']);
  const numberOperatorsFail = (value: unknown): boolean =>
    NUMBER_ERRORS.has(value) || (typeof value === 'object' && value !== null);

  it.each([
    '(gt $x 5)',
    '(gte $x 5)',
    '(lt $x 5)',
    '(lte 5 $x)',
    '(lt $x -1)',
    '(lt $x "5")',
    '(gte "10" $x)',
    '(eq $x 5)',
    '(eq 0 $x)',
    '(eq $x -5)',
    '(eq $x 4.99)',
    '(in $x [1, 5, 10])',
    '(in $x [5, "abc", true])',
    '(in $x [0, "05"])',
  ])(
    '%s with a numeric literal: the same answer, or an evaluation error for a list, an object or "1.2.3"',
    (rule) => {
      for (const variants of [rule, `(not ${rule})`, `(or ${rule} (eq $y "on"))`]) {
        const p = pair([variants]);
        expect(hasAppConfigOperator(p.targeting)).toBe(false);
        for (const context of contexts(rule))
          for (const y of [undefined, 'on']) {
            const full = y === undefined ? context : { ...context, y };
            const flagd = flagdVariant(p, full);
            if (numberOperatorsFail(full.x) && flagd?.startsWith('error ')) continue;
            expect([variants, full, flagd]).toEqual([variants, full, flagfleetVariant(p, full)]);
          }
      }
    },
  );

  it('reads numbers in flagd-core exactly where flagfleet does (fast-check over numeric-looking texts)', () => {
    const p = pair(['(gt $x 5)', '(eq $x 5)', '(in $x [-2, 7])']);
    const numericText = fc.stringMatching(/^[ \t]?[-+]?[0-9xob.eE]{0,6}[ \t]?$/);
    fc.assert(
      fc.property(fc.oneof(numericText, fc.double({ noNaN: true, noDefaultInfinity: true })), (x) => {
        const flagd = flagdVariant(p, { x });
        if (flagd?.startsWith('error ')) expect(Number.isNaN(Number(x))).toBe(true);
        else expect(flagd).toBe(flagfleetVariant(p, { x }));
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['(eq $x $w)', '(gt $x $w)', '(gte $x $w)', '(lt $w $x)', '(lte $x $w)'])(
    '%s between two context values: the same answer over every pair, or an evaluation error for a list, an object or "1.2.3"',
    (rule) => {
      const p = pair([rule, `(not ${rule})`]);
      expect(hasAppConfigOperator(p.targeting)).toBe(false);
      for (const x of VALUES)
        for (const w of VALUES) {
          // Distinct lists and objects, as JSON contexts have: the same reference under two keys is not one.
          const context = {
            ...(x === undefined ? {} : { x }),
            ...(w === undefined ? {} : { w: structuredClone(w) }),
          };
          const flagd = flagdVariant(p, context);
          if (flagd?.startsWith('error ') && [x, w].some(numberOperatorsFail)) continue;
          expect([rule, context, flagd]).toEqual([rule, context, flagfleetVariant(p, context)]);
        }
    },
  );

  it("emits flagd's operators", () => {
    expect(pair(['(begins_with $x "ab")']).targeting).toEqual({
      if: [
        {
          and: [
            { '!==': [{ var: 'x' }, null] },
            {
              and: [
                { '===': [{ cat: [{ var: 'x' }] }, { var: 'x' }] },
                { starts_with: [{ var: 'x' }, 'ab'] },
              ],
            },
          ],
        },
        'hit0',
        null,
      ],
    });
    // A literal's type tests fold away: a text equals a text.
    expect(pair(['(eq $x "pro")']).targeting).toEqual({
      if: [{ and: [{ '!==': [{ var: 'x' }, null] }, { '===': [{ var: 'x' }, 'pro'] }] }, 'hit0', null],
    });
    expect(pair(['(exists key::"x")']).targeting).toEqual({
      if: [{ '!==': [{ var: 'x' }, null] }, 'hit0', null],
    });
    expect(JSON.stringify(pair(['(split pct::12.5 by::$x seed::"s")']).targeting)).toContain(
      '{"fractional":[{"cat":["s",{"var":"x"}]},["in",125],["out",875]]}',
    );
  });

  it.each([
    ['a regular expression', '(matches in::$x pattern::"^a")', 'flagd has no regular-expression operator'],
    ['a timestamp', '(gt $x 2024-01-01T00:00:00Z)', 'flagd has no date operator'],
    ['an affix a number could contain', '(begins_with $x "12")', `of "12", which a number's`],
    ['a text operator between two context values', '(contains $x $w)', 'between two context values'],
  ])('keeps the appconfig operators for %s, and says why', (_why, rule, reason) => {
    const p = pair([rule, '(eq $z "abc")']);
    expect(hasAppConfigOperator(p.targeting)).toBe(true);
    expect(inProcessGaps(p.flags)).toEqual([
      { flag: 'f', reason: expect.stringMatching(/^the rule of variant "hit0": /) },
    ]);
    expect(inProcessGaps(p.flags)[0].reason).toContain(reason);
    expect(inProcessGaps(pair(['(eq $z "abc")']).flags)).toEqual([]);
    // In process, such a flag does not evaluate: the provider answers its error (PARSE_ERROR → code default).
    expect(flagdVariant(p, { x: 'abc' })).toMatch(/^error /);
  });

  it('names every variant in-process providers cannot evaluate, not only the first (issue 23)', () => {
    const p = pair([
      '(matches in::$x pattern::"^a")',
      '(eq $z "abc")',
      '(gt $x 2024-01-01T00:00:00Z)',
      '(begins_with $x "12")',
    ]);
    const [gap] = inProcessGaps(p.flags);
    expect(gap.reason.split('; ')).toEqual([
      expect.stringMatching(/^the rule of variant "hit0": .*regular-expression/),
      expect.stringMatching(/^the rule of variant "hit2": .*date operator/),
      expect.stringMatching(/^the rule of variant "hit3": .*of "12"/),
    ]);
  });

  it('splits every key into the same bucket as flagd fractional (fast-check over ASCII keys, pct, seeds)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789@._-'.split('')) }),
          {
            minLength: 1,
            maxLength: 50,
          },
        ),
        fc.integer({ min: 0, max: 1000 }).map((n) => n / 10),
        fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/), { nil: undefined }),
        (keys, pct, seed) => {
          const p = pair(
            [`(split pct::${pct} by::$x${seed === undefined ? '' : ` seed::"${seed}"`})`],
            'exp',
          );
          for (const key of keys)
            expect(flagdVariant(p, { x: key }, 'exp')).toBe(flagfleetVariant(p, { x: key }, 'exp'));
          for (const value of [42, -1.5, true])
            expect(flagdVariant(p, { x: value }, 'exp')).toBe(flagfleetVariant(p, { x: value }, 'exp'));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('differs for a split only where docs/flagd.md says: non-ASCII texts in flagd-core, lists and objects', () => {
    const p = pair(['(split pct::50 by::$x)']);
    const differing = VALUES.filter((x) => flagdVariant(p, { x }) !== flagfleetVariant(p, { x }));
    expect(differing.every((x) => !splitAnswersAlike(x))).toBe(true);
    // flagfleet's own flagd evaluator hashes UTF-8 bytes as flagd (Go) does: the translated rule answers there.
    const translated = compileFlagDocument(
      JSON.stringify({
        flags: {
          f: {
            state: 'ENABLED',
            variants: { hit0: true, miss: false },
            defaultVariant: 'miss',
            targeting: p.targeting,
          },
        },
      }),
    );
    if (!translated.ok) throw new Error(JSON.stringify(translated.errors));
    for (const x of ['josé', 'naïve', '日本', 'ü@example.org'])
      expect(translated.flags.evaluateFlag('f', { x }).variant).toBe(flagfleetVariant(p, { x }));
  });

  it('carries attributes as flag metadata only when every variant answers the same ones', () => {
    const metadataOf = (variants: unknown[]): unknown => {
      const outcome = compileFlagDocument(
        JSON.stringify({
          version: '1',
          flags: {
            m: {
              name: 'm',
              attributes: {
                team: { constraints: { type: 'string' } },
                tier: { constraints: { type: 'number' } },
              },
            },
          },
          values: { m: { _variants: variants } },
        }),
      );
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
      return (JSON.parse(syncDocument(outcome.flags, UNLIMITED)) as { flags: { m: { metadata?: unknown } } })
        .flags.m.metadata;
    };
    const same = { team: 'web', tier: 2 };
    expect(
      metadataOf([
        { name: 'a', enabled: true, rule: '(eq $x "a")', attributeValues: same },
        { name: 'b', enabled: true, attributeValues: same },
      ]),
    ).toEqual(same);
    // A disabled variant answers no attributes; differing values cannot be one flag's metadata.
    expect(
      metadataOf([
        { name: 'a', enabled: true, rule: '(eq $x "a")', attributeValues: same },
        { name: 'b', enabled: false, attributeValues: same },
      ]),
    ).toBeUndefined();
    expect(
      metadataOf([
        { name: 'a', enabled: true, rule: '(eq $x "a")', attributeValues: { team: 'web' } },
        { name: 'b', enabled: true, attributeValues: { team: 'api' } },
      ]),
    ).toBeUndefined();
  });

  it("translates the AWS documentation's multi-variant example completely", () => {
    const p = pair(
      [
        '(ends_with $email "qa-testers.mycompany.com")',
        '(exists key::"opted_in_to_beta")',
        '(split pct::10 by::$email)',
      ],
      'ui_refresh',
    );
    expect(hasAppConfigOperator(p.targeting)).toBe(false);
    for (let i = 0; i < 2000; i++) {
      const context = { email: `user${i}@example.org` };
      expect(flagdVariant(p, context, 'ui_refresh')).toBe(flagfleetVariant(p, context, 'ui_refresh'));
    }
  });
});
