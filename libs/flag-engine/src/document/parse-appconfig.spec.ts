import { compileFlagDocument } from '../compile/compile-document';

const appConfig = JSON.stringify({
  checkout: { enabled: true, owner: 'payments', rollout: 50, beta: false, limits: { max: 3 } },
  search: { enabled: false },
});

describe('AppConfig feature-flag format', () => {
  it('is recognised by content under application/json', () => {
    const outcome = compileFlagDocument(appConfig, { contentType: 'application/json' });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    expect(outcome.flags.format).toBe('appconfig-feature-flags');
    expect(outcome.flags.keys).toEqual(['checkout', 'search']);
  });

  it('is chosen by the type=AWS.AppConfig.FeatureFlags content-type parameter, even for an empty map', () => {
    for (const contentType of [
      'application/json; type=AWS.AppConfig.FeatureFlags',
      'application/json;type="aws.appconfig.featureflags"',
    ]) {
      const outcome = compileFlagDocument('{}', { contentType });
      expect(outcome.ok && outcome.flags.format).toBe('appconfig-feature-flags');
    }
    expect(compileFlagDocument('{}', { contentType: 'application/json' }).ok).toBe(false);
  });

  it('maps each key to a boolean flag: value `enabled`, variants on/off, primitive attributes as metadata, STATIC', () => {
    const outcome = compileFlagDocument(appConfig);
    if (!outcome.ok) throw new Error('expected success');
    expect(outcome.flags.evaluateFlag('checkout', { any: 'context' })).toEqual({
      key: 'checkout',
      value: true,
      variant: 'on',
      reason: 'STATIC',
      metadata: { owner: 'payments', rollout: 50, beta: false },
    });
    expect(outcome.flags.evaluateFlag('search', {})).toEqual({
      key: 'search',
      value: false,
      variant: 'off',
      reason: 'STATIC',
      metadata: {},
    });
    expect(outcome.flags.definitions.get('search')).toMatchObject({
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      valueType: 'boolean',
    });
    expect(outcome.warnings.map(({ flagKey, path, code }) => ({ flagKey, path, code }))).toEqual([
      { flagKey: 'checkout', path: '/checkout/limits', code: 'FLAGFLEET_APPCONFIG_ATTRIBUTE_IGNORED' },
    ]);
  });

  it('rejects an entry without a boolean "enabled" when the type is declared', () => {
    const outcome = compileFlagDocument('{"a": {"enabled": "yes"}}', {
      contentType: 'application/json; type=AWS.AppConfig.FeatureFlags',
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.errors[0]).toMatchObject({
        flagKey: 'a',
        path: '/a/enabled',
        code: 'FLAGFLEET_DOCUMENT_INVALID_SHAPE',
      });
  });
});
