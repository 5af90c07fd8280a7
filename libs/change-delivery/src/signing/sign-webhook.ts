import { createHash, createHmac, randomUUID } from 'node:crypto';
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
 * The id of one revision's delivery to one subscription: the same on every replica and every attempt
 * to queue it, so a revision queued twice (after a failover lost the record of the first) still
 * reaches the receiver under one `webhook-id`.
 */
export function revisionWebhookId(subscriptionId: string, source: string, revision: number): string {
  const digest = createHash('sha256').update(`${subscriptionId}\n${source}\n${revision}`).digest('hex');
  return `msg_${digest.slice(0, 32)}`;
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
