import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileFlagDocument, type CompiledFlags } from '../src';

describe('flags/flags.json (the embedded default example)', () => {
  const outcome = compileFlagDocument(readFileSync(resolve(__dirname, '../../../flags/flags.json')));
  const flags = (): CompiledFlags => {
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    return outcome.flags;
  };

  it('compiles without warnings', () => {
    expect(outcome.ok && outcome.warnings).toEqual([]);
  });

  it('serves the kill switch statically', () => {
    expect(flags().evaluateFlag('checkout-kill-switch', {})).toMatchObject({
      value: true,
      reason: 'STATIC',
      metadata: { owner: 'payments', flagSetId: 'flagfleet-example' },
    });
  });

  it('rolls out new search to about 20% of users, stably per user', () => {
    let enabled = 0;
    for (let i = 0; i < 2000; i++) {
      const result = flags().evaluateFlag('new-search-rollout', { targetingKey: `user-${i}` });
      expect(flags().evaluateFlag('new-search-rollout', { targetingKey: `user-${i}` })).toBe(result);
      if (result.value === true) enabled++;
    }
    expect(enabled / 2000).toBeGreaterThan(0.17);
    expect(enabled / 2000).toBeLessThan(0.23);
    expect(flags().evaluateFlag('new-search-rollout', {})).toMatchObject({ value: false, reason: 'DEFAULT' });
  });

  it('targets staff by email domain through the shared evaluator', () => {
    expect(flags().evaluateFlag('internal-tools', { email: 'ann@flagfleet.dev' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(flags().evaluateFlag('internal-tools', { email: 'bob@example.com' })).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
    expect(flags().evaluateFlag('support-chat', { email: 'ann@flagfleet.dev' })).toMatchObject({
      value: true,
    });
    expect(flags().evaluateFlag('support-chat', { plan: 'enterprise' })).toMatchObject({ value: true });
    expect(flags().evaluateFlag('support-chat', { plan: 'free' })).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
  });

  it('enables offline sync from app version 3.2.0', () => {
    expect(flags().evaluateFlag('offline-sync', { appVersion: 'v3.2.0' })).toMatchObject({ value: true });
    expect(flags().evaluateFlag('offline-sync', { appVersion: '3.10.1' })).toMatchObject({ value: true });
    expect(flags().evaluateFlag('offline-sync', { appVersion: '3.1.9' })).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
  });

  it('picks a banner colour among three variants', () => {
    expect(flags().evaluateFlag('banner-color', { email: 'ann@flagfleet.dev' })).toMatchObject({
      value: '#fb8500',
      variant: 'orange',
    });
    expect(flags().evaluateFlag('banner-color', { country: 'AT' })).toMatchObject({
      value: '#2da44e',
      variant: 'green',
    });
    expect(flags().evaluateFlag('banner-color', { country: 'FR' })).toMatchObject({
      value: '#1f6feb',
      reason: 'DEFAULT',
    });
  });

  it('sizes search pages with a number flag', () => {
    expect(flags().evaluateFlag('search-page-size', { plan: 'enterprise' })).toMatchObject({
      value: 50,
      variant: 'large',
      reason: 'TARGETING_MATCH',
    });
    expect(flags().evaluateFlag('search-page-size', { device: 'mobile' })).toMatchObject({ value: 10 });
    expect(flags().evaluateFlag('search-page-size', {})).toMatchObject({ value: 25, reason: 'DEFAULT' });
  });

  it('chooses a checkout layout with an object flag', () => {
    expect(flags().evaluateFlag('checkout-layout', { country: 'CA' })).toMatchObject({
      value: { steps: 1, expressPay: true, paymentMethods: ['card', 'wallet'] },
      variant: 'express',
    });
    expect(flags().evaluateFlag('checkout-layout', { country: 'DE' })).toMatchObject({
      value: { steps: 3, expressPay: false, paymentMethods: ['card', 'invoice'] },
      reason: 'DEFAULT',
    });
  });

  it('has a flag of every OpenFeature value type', () => {
    const types = new Set([...flags().definitions.values()].map((flag) => flag.valueType));
    expect([...types].sort()).toEqual(['boolean', 'number', 'object', 'string']);
  });

  it('keeps a disabled flag disabled', () => {
    expect(flags().evaluateFlag('legacy-reports', {})).toMatchObject({ reason: 'DISABLED' });
  });
});

describe('flags/features.json (the AppConfig multi-variant example)', () => {
  const outcome = compileFlagDocument(readFileSync(resolve(__dirname, '../../../flags/features.json')));
  const flags = (): CompiledFlags => {
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    return outcome.flags;
  };

  it('compiles without warnings', () => {
    expect(outcome.ok && outcome.warnings).toEqual([]);
  });

  it('gives staff, the EU split, beta testers and the default their variants', () => {
    expect(flags().evaluateFlag('new_checkout', { email: 'ann@example.com' })).toMatchObject({
      variant: 'Staff',
      value: true,
      reason: 'TARGETING_MATCH',
      metadata: { theme: 'dark', steps: 2 },
    });
    expect(flags().evaluateFlag('new_checkout', { beta: 'true' })).toMatchObject({ variant: 'Beta testers' });
    expect(flags().evaluateFlag('new_checkout', { country: 'US', userId: 'u' })).toMatchObject({
      variant: 'Default',
      value: false,
      reason: 'DEFAULT',
      metadata: {},
    });
    let rolledOut = 0;
    for (let i = 0; i < 4000; i++)
      if (
        flags().evaluateFlag('new_checkout', { country: 'DE', userId: `user-${i}` }).variant === 'EU rollout'
      )
        rolledOut++;
    expect(rolledOut / 4000).toBeGreaterThan(0.22);
    expect(rolledOut / 4000).toBeLessThan(0.28);
  });

  it('serves the basic flag statically with its attributes, arrays kept', () => {
    expect(flags().evaluateFlag('dark_mode', {})).toMatchObject({
      value: true,
      reason: 'STATIC',
      metadata: { contrast: 1.5 },
    });
    expect(flags().definitions.get('dark_mode')?.appConfig?.attributes.on).toEqual({
      regions: ['eu', 'us'],
      contrast: 1.5,
    });
  });
});
