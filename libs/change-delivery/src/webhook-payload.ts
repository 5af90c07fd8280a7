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
  if (fitsInline(change.definitions)) data.flags = change.definitions;
  return { type: FLAGS_CHANGED, timestamp: now.toISOString(), data };
}

/**
 * Whether `JSON.stringify(definitions)` takes at most MAX_INLINE_FLAGS_BYTES, counted entry by entry and
 * stopping at the limit: a deploy that changes 10,000 flags does not serialise them all to find out.
 */
function fitsInline(definitions: FlagChange['definitions']): boolean {
  let bytes = 2; // {}
  for (const key in definitions) {
    if (!Object.hasOwn(definitions, key)) continue;
    if (bytes > 2) bytes += 1; // ,
    bytes += Buffer.byteLength(JSON.stringify(key)) + 1 + Buffer.byteLength(JSON.stringify(definitions[key]));
    if (bytes > MAX_INLINE_FLAGS_BYTES) return false;
  }
  return true;
}

export function pingPayload(subscriptionId: string, now: Date): WebhookPayload {
  return { type: PING, timestamp: now.toISOString(), data: { subscriptionId } };
}
