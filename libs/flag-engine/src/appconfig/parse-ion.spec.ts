import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dumpBinary, loadAll } from 'ion-js';
import { compileFlagDocument } from '../compile/compile-document';

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
  ])('rejects %s with a named problem', (_name, content, code, message) => {
    const outcome = compileFlagDocument(content, { contentType: ION });
    if (outcome.ok) throw new Error('expected a rejection');
    expect(outcome.errors[0].code).toBe(code);
    expect(outcome.errors[0].message).toContain(message);
  });
});
