import { createHmac, randomUUID } from 'node:crypto';
import { webhookSecretKey } from './webhook-secret';

export interface WebhookHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/** `msg_` + a UUID: unique per delivery, stable across its retries (receivers dedupe on it). */
export function newWebhookId(): string {
  return `msg_${randomUUID().replace(/-/g, '')}`;
}

/**
 * Standard Webhooks: `v1,` + base64(HMAC-SHA256(key, `id.timestamp.body`)); with several secrets
 * (during a rotation) the signatures are space-separated and a receiver accepts any.
 */
export function signWebhook(
  id: string,
  timestampSeconds: number,
  body: string,
  secrets: readonly string[],
): WebhookHeaders {
  const signed = `${id}.${timestampSeconds}.${body}`;
  const signature = secrets
    .map((secret) => 'v1,' + createHmac('sha256', webhookSecretKey(secret)).update(signed).digest('base64'))
    .join(' ');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signature };
}
