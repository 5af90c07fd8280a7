import { ManualClock } from '@flagfleet/core';
import {
  WebhookSecretKeyMissingError,
  WebhookSubscriptionInvalidError,
  WebhookSubscriptionNotFoundError,
  WebhookTargetRefusedError,
} from '../errors';
import type { FlagChange } from '../change-notifier';
import { MemorySubscriptionRepository } from './memory-subscription-repository';
import { SecretCipher } from './secret-cipher';
import { WebhookSubscriptions } from './webhook-subscriptions';

const policy = { allowHttp: true, allowedHosts: ['127.0.0.1'] };
const change = (over: Partial<FlagChange>): FlagChange => ({
  kind: 'revision',
  source: 'app/env/flags',
  revision: 2,
  previousRevision: 1,
  versionLabel: null,
  added: [],
  removed: [],
  changed: ['a'],
  definitions: {},
  publishedHere: true,
  fetchedAt: 0,
  ...over,
});

describe('WebhookSubscriptions', () => {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const repository = new MemorySubscriptionRepository();
  const subscriptions = new WebhookSubscriptions(
    repository,
    SecretCipher.fromPassphrase('test key, long enough'),
    policy,
    clock,
  );

  it('shows the secret once and stores it sealed', async () => {
    const { subscription, secret } = await subscriptions.create({
      url: 'http://127.0.0.1:9/hook',
      description: 'ci',
    });
    expect(secret).toMatch(/^whsec_/);
    expect(subscription).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      enabled: true,
      sources: [],
      flagKeys: [],
    });
    expect(JSON.stringify(subscription)).not.toContain(secret);
    expect(JSON.stringify(await subscriptions.list())).not.toContain(secret);
    expect(JSON.stringify(await repository.list())).not.toContain(secret.slice(6));
    expect(await subscriptions.signingSecrets(subscription.id)).toEqual([secret]);
  });

  it('rotates: the new secret first, the old one still signing until the grace period ends', async () => {
    const { subscription, secret: first } = await subscriptions.create({ url: 'http://127.0.0.1:9/hook' });
    const { secret: second } = await subscriptions.rotateSecret(subscription.id);
    expect(await subscriptions.signingSecrets(subscription.id)).toEqual([second, first]);
    clock.advance(25 * 60 * 60 * 1000);
    expect(await subscriptions.signingSecrets(subscription.id)).toEqual([second]);
  });

  it.each([
    [{}, /url is required/],
    [{ url: 'http://127.0.0.1/', extra: 1 }, /additional properties/],
    [{ url: 'http://127.0.0.1/', sources: 'app/env/p' }, /sources must be array/],
    [JSON.parse('{"url":"http://127.0.0.1/","__proto__":{"polluted":true}}'), /additional properties/],
    ['a string', /must be object/],
  ])('refuses invalid input %j', async (body, reason) => {
    await expect(subscriptions.create(body)).rejects.toThrow(WebhookSubscriptionInvalidError);
    await expect(subscriptions.create(body)).rejects.toThrow(reason);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a private target not on the allowlist', async () => {
    await expect(subscriptions.create({ url: 'http://10.0.0.1/hook' })).rejects.toThrow(
      WebhookTargetRefusedError,
    );
  });

  it('updates, filters, disables and deletes', async () => {
    const { subscription } = await subscriptions.create({
      url: 'http://127.0.0.1:9/a',
      flagKeys: ['a'],
      sources: ['app/env/flags'],
    });
    const matches = async (c: FlagChange) =>
      (await subscriptions.matching(c)).some((s) => s.id === subscription.id);
    expect(await matches(change({}))).toBe(true);
    expect(await matches(change({ changed: ['b'] }))).toBe(false);
    expect(await matches(change({ source: 'app/env/other' }))).toBe(false);
    await subscriptions.disable(subscription.id, 'receiver answered 410 Gone');
    expect(await subscriptions.get(subscription.id)).toMatchObject({
      enabled: false,
      disabledReason: 'receiver answered 410 Gone',
    });
    expect(await matches(change({}))).toBe(false);
    expect(await subscriptions.update(subscription.id, { enabled: true })).toMatchObject({
      enabled: true,
      disabledReason: null,
    });
    await subscriptions.delete(subscription.id);
    await expect(subscriptions.get(subscription.id)).rejects.toThrow(WebhookSubscriptionNotFoundError);
    await expect(subscriptions.delete(subscription.id)).rejects.toThrow(WebhookSubscriptionNotFoundError);
  });

  it('refuses to create without a cipher (a fleet without WEBHOOK_SECRET_KEY)', async () => {
    const keyless = new WebhookSubscriptions(new MemorySubscriptionRepository(), null, policy, clock);
    await expect(keyless.create({ url: 'http://127.0.0.1:9/' })).rejects.toThrow(
      WebhookSecretKeyMissingError,
    );
  });
});
