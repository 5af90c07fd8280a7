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
 * The id of one change's delivery to one subscription: the same on every replica and every attempt to queue
 * it, so a revision queued twice (after a failover lost the record of the first) still reaches the receiver
 * under one `webhook-id`. A source added or removed (`kind`) names the revision it served, and gets an id apart
 * from that revision's own.
 */
export function changeWebhookId(
  subscriptionId: string,
  source: string,
  revision: number,
  kind?: 'added' | 'removed',
): string {
  const text = `${subscriptionId}\n${source}\n${revision}${kind === undefined ? '' : `\n${kind}`}`;
  return `msg_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
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
