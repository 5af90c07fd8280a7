import type { FlagChange, FlagDefinitions } from './change-notifier';

export const FLAGS_CHANGED = 'flags.changed';
export const PING = 'webhook.ping';
export const SOURCE_REMOVED = 'source.removed';
export const SOURCE_ADDED = 'source.added';

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
  if (change.definitions !== null) data.flags = change.definitions;
  return { type: FLAGS_CHANGED, timestamp: now.toISOString(), data };
}

/**
 * The old/new definitions of `keys`, or null as soon as their JSON passes MAX_INLINE_FLAGS_BYTES: counted entry
 * by entry, so a deploy that changes 10,000 flags reads and serialises a few of them, not all.
 */
export function inlineDefinitions(
  keys: Iterable<string>,
  definitionOf: (key: string) => { readonly old: unknown; readonly new: unknown },
): FlagDefinitions | null {
  const definitions: Record<string, { readonly old: unknown; readonly new: unknown }> = {};
  let bytes = 2; // {}
  for (const key of keys) {
    if (Object.hasOwn(definitions, key)) continue;
    const definition = definitionOf(key);
    if (bytes > 2) bytes += 1; // ,
    bytes += Buffer.byteLength(JSON.stringify(key)) + 1 + Buffer.byteLength(JSON.stringify(definition));
    if (bytes > MAX_INLINE_FLAGS_BYTES) return null;
    definitions[key] = definition;
  }
  return definitions;
}

/**
 * A source served from now on (added at run time, or back after its removal), with every flag it serves; or
 * no longer served (its file is gone), with the flags it served, at the last revision it served.
 */
export function sourceEventPayload(
  change: FlagChange & { readonly kind: 'added' | 'removed' },
  now: Date,
): WebhookPayload {
  const data = {
    source: change.source,
    revision: change.revision,
    versionLabel: change.versionLabel,
    ...(change.kind === 'added' ? { added: change.added } : { removed: change.removed }),
  };
  const type = change.kind === 'added' ? SOURCE_ADDED : SOURCE_REMOVED;
  return { type, timestamp: now.toISOString(), data };
}

export function pingPayload(subscriptionId: string, now: Date): WebhookPayload {
  return { type: PING, timestamp: now.toISOString(), data: { subscriptionId } };
}
