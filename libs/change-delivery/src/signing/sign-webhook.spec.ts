import { Webhook } from 'standardwebhooks';
import { newWebhookId, signWebhook } from './sign-webhook';
import { generateWebhookSecret, maskWebhookSecret, webhookSecretKey } from './webhook-secret';

describe('signWebhook', () => {
  const body = JSON.stringify({
    type: 'flags.changed',
    timestamp: '2026-01-01T00:00:00.000Z',
    data: { revision: 2 },
  });
  const now = Math.floor(Date.now() / 1000);

  it('produces headers the standardwebhooks verifier accepts', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook('msg_1', now, body, [secret]);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('matches the Standard Webhooks reference vector', () => {
    // From the specification's example: secret, id, timestamp and payload give this signature.
    const headers = signWebhook('msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}', [
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    ]);
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs with every secret during a rotation, so a receiver holding either accepts', () => {
    const [old, fresh] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signWebhook('msg_2', now, body, [fresh, old]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(old).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(fresh).verify(body, { ...headers })).not.toThrow();
  });

  it('is refused by the verifier when the body or the secret differ', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook('msg_3', now, body, [secret]);
    expect(() => new Webhook(secret).verify(body.replace('2', '3'), { ...headers })).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it('generates whsec_ secrets of 32 random bytes and unique message ids', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(webhookSecretKey(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    expect(newWebhookId()).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(maskWebhookSecret(secret)).not.toContain(secret.slice(6, 20));
  });

  it('refuses keys outside 24–64 bytes', () => {
    expect(() => webhookSecretKey('whsec_' + Buffer.alloc(8).toString('base64'))).toThrow(RangeError);
  });
});
