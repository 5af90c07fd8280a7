import type { FlagChange } from './change-notifier';

export const FLAGS_CHANGED = 'flags.changed';
export const PING = 'webhook.ping';

/** Above this size (serialised) the old/new definitions are left out: the receiver refetches. */
export const MAX_INLINE_FLAGS_BYTES = 16 * 1024;

export interface WebhookPayload {
  readonly type: string;
  /** ISO 8601, when the event happened (stable across retries). */
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export function flagsChangedPayload(change: FlagChange, now: Date): WebhookPayload {
  const data: Record<string, unknown> = {
    source: change.source,
    revision: change.revision,
    versionLabel: change.versionLabel,
    added: change.added,
    removed: change.removed,
    changed: change.changed,
  };
  const flags = JSON.stringify(change.definitions);
  if (Buffer.byteLength(flags) <= MAX_INLINE_FLAGS_BYTES) data.flags = change.definitions;
  return { type: FLAGS_CHANGED, timestamp: now.toISOString(), data };
}

export function pingPayload(subscriptionId: string, now: Date): WebhookPayload {
  return { type: PING, timestamp: now.toISOString(), data: { subscriptionId } };
}
