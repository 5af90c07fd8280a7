import { randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** `whsec_` + base64 of 32 random bytes (Standard Webhooks allows 24–64). */
export function generateWebhookSecret(): string {
  return PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The HMAC key is the base64-decoded part after `whsec_`. */
export function webhookSecretKey(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  if (key.length < 24 || key.length > 64) throw new RangeError('webhook secret must hold 24 to 64 bytes');
  return key;
}

/** Shows enough to recognise a secret in the admin API without revealing it. */
export function maskWebhookSecret(secret: string): string {
  return `${PREFIX}…${secret.slice(-4)}`;
}
