import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dumpBinary, loadAll } from 'ion-js';
import { compileFlagDocument } from '../compile/compile-document';
import { ProblemList } from '../document/problems';
import { parseIonInSteps } from './parse-ion';

const SAMPLES = readFileSync(resolve(__dirname, '../../test/fixtures/aws-local-samples.ion'), 'utf8');
const ION = 'application/ion; type=AWS.AppConfig.FeatureFlags';

describe('AppConfig Ion retrieval format', () => {
  it.each([
    ['text, by content', SAMPLES, undefined],
    ['text, by content type', SAMPLES, ION],
    ['binary', dumpBinary(...loadAll(SAMPLES)), undefined],
  ])("reads AWS's local-development samples (%s)", (_name, content, contentType) => {
    const outcome = compileFlagDocument(content, { contentType });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const flags = outcome.flags;
    expect(flags.keys).toEqual(['tiered_release', 'colorway', 'simple_feature', 'button_color']);
    expect(flags.evaluateFlag('colorway', { userId: 'beta-42' })).toEqual({
      key: 'colorway',
      value: true,
      variant: 'BetaTesters',
      reason: 'TARGETING_MATCH',
      metadata: { background: 'blue', foreground: 'red' },
    });
    expect(flags.evaluateFlag('simple_feature', {})).toMatchObject({
      variant: 'default',
      value: false,
      reason: 'DEFAULT',
    });
    expect(flags.evaluateFlag('button_color', {})).toEqual({
      key: 'button_color',
      value: true,
      variant: 'on',
      reason: 'STATIC',
      metadata: { color: 'orange' },
    });
    expect(flags.evaluateFlag('tiered_release', { group: 'Tier3', userId: 'u' })).toMatchObject({
      variant: 'HideFeature',
    });
    let shown = 0;
    for (let i = 0; i < 20_000; i++)
      if (
        flags.evaluateFlag('tiered_release', { group: 'Tier2', userId: `user-${i}` }).variant ===
        'ShowFeature'
      )
        shown++;
    expect(shown / 20_000).toBeGreaterThan(0.06);
    expect(shown / 20_000).toBeLessThan(0.08);
  });

  it('keeps array attributes', () => {
    const outcome = compileFlagDocument(
      `'f'::[[(eq $a 1), '''{"_variant":"v","enabled":true,"ids":[1,2]}'''], '''{"_variant":"d","enabled":false}''']`,
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    expect(outcome.flags.definitions.get('f')?.appConfig?.attributes.v).toEqual({ ids: [1, 2] });
  });

  it.each([
    [
      'a bad rule operator',
      `'f'::[[(like $a 1), '''{"_variant":"v","enabled":true}'''], '''{"_variant":"d","enabled":false}''']`,
      'FLAGFLEET_APPCONFIG_RULE_INVALID',
      'variant "v": the rule is not valid at rule: unknown operator "like"',
    ],
    [
      'bad split operands',
      `'f'::[[(split pct::200 by::$u), '''{"_variant":"v","enabled":true}'''], '''{"_variant":"d","enabled":false}''']`,
      'FLAGFLEET_APPCONFIG_RULE_INVALID',
      'at rule/1: pct::',
    ],
    [
      'a default with a rule',
      `'f'::[[(eq $a 1), '''{"_variant":"v","enabled":true}''']]`,
      'FLAGFLEET_APPCONFIG_INVALID_VARIANT',
      'default variant',
    ],
    ['content that is not JSON', `'f'::'''{enabled}'''`, 'FLAGFLEET_APPCONFIG_INVALID_SHAPE', 'not JSON'],
    ['broken Ion', `'f'::[[(eq $a 1)`, 'FLAGFLEET_DOCUMENT_NOT_ION', 'not Amazon Ion'],
    ['a value without key', `'''{"enabled": true}'''`, 'FLAGFLEET_APPCONFIG_INVALID_SHAPE', 'no flag key'],
    // ion-js's DOM made both of these a TypeError ("is not iterable") out of the parse.
    ['a null list as a flag', `'f'::null.list`, 'FLAGFLEET_APPCONFIG_INVALID_SHAPE', 'got an Ion null.list'],
    [
      'a null list as a variant',
      `'f'::[[(eq $a 1), '''{"_variant":"v","enabled":true}'''], null.list, '''{"_variant":"d","enabled":false}''']`,
      'FLAGFLEET_APPCONFIG_INVALID_VARIANT',
      "element 1 must be a [rule, '''{json}'''] pair",
    ],
    [
      'a decimal, after a rule nested too deep',
      `'f'::[[${'(not '.repeat(70)}(eq $a 1)${')'.repeat(70)}, '''{"_variant":"v","enabled":true}'''], '''{"_variant":"d","enabled":false}'''] ` +
        `'g'::[[(eq $a 1.5), '''{"_variant":"v","enabled":true}'''], '''{"_variant":"d","enabled":false}''']`,
      'FLAGFLEET_APPCONFIG_RULE_SYNTAX',
      'nested deeper than 64 levels',
    ],
    [
      'content that is not Ion after a flag with a bad rule: that one problem',
      `'f'::[[(like $a 1), '''{"_variant":"v","enabled":true}'''], '''{"_variant":"d","enabled":false}'''] 'g'::[[(eq`,
      'FLAGFLEET_DOCUMENT_NOT_ION',
      'not Amazon Ion',
    ],
  ])('rejects %s with a named problem', (_name, content, code, message) => {
    const outcome = compileFlagDocument(content, { contentType: ION });
    if (outcome.ok) throw new Error('expected a rejection');
    expect(outcome.errors.map((error) => error.code)).toEqual([code]);
    expect(outcome.errors[0].message).toContain(message);
  });
});

describe('a large Ion document, read in steps', () => {
  const LONG = "'''";
  /** `count` multi-variant flags as AppConfigData serves them: three rules and a default each. */
  const ionOf = (count: number): Buffer => {
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const variant = (name: string, enabled: boolean) =>
        `${LONG}{"_variant":"${name}","enabled":${enabled},"steps":${i % 5}}${LONG}`;
      lines.push(
        `'flag_${i}'::[[(ends_with $email "@team-${i % 40}.example.com"), ${variant('staff', true)}], ` +
          `[(and (in $country ["DE", "AT"]) (split pct::${i % 90} by::$userId seed::"flag_${i}")), ${variant('rollout', true)}], ` +
          `[(eq $beta true), ${variant('beta', i % 2 === 0)}], ${variant('off', false)}]`,
      );
    }
    return Buffer.from(lines.join('\n') + '\n');
  };

  it('no step holds a large share of the read: the content is decoded and loaded a value at a time', () => {
    const problems = new ProblemList();
    const steps = parseIonInSteps(ionOf(3_000), problems);
    let longest = 0;
    const started = performance.now();
    for (;;) {
      const before = performance.now();
      const step = steps.next();
      longest = Math.max(longest, performance.now() - before);
      if (step.done) {
        expect(step.value).toHaveLength(3_000);
        break;
      }
    }
    const total = performance.now() - started;
    expect(problems.errors).toEqual([]);
    // Loaded whole (ion-js loadAll), the first step was over half of the read.
    expect(longest).toBeLessThan(total / 10);
  });

  it('content that stops being Ion after its first flags is refused with that one problem', () => {
    const content = Buffer.concat([ionOf(50), Buffer.from(`'broken'::[[(eq $a 1), ${LONG}{`)]);
    expect(compileFlagDocument(content)).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'FLAGFLEET_DOCUMENT_NOT_ION', path: '' })],
    });
  });

  it('bytes that are not UTF-8 are refused as not Ion', () => {
    const content = Buffer.concat([
      Buffer.from(`'a'::${LONG}{"enabled":`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`true}${LONG}`),
    ]);
    expect(compileFlagDocument(content)).toMatchObject({
      ok: false,
      errors: [{ code: 'FLAGFLEET_DOCUMENT_NOT_ION', message: expect.stringContaining('UTF-8') }],
    });
  });
});
