import type { FlagChange } from '@flagfleet/change-delivery';
import type { FlagsChangedEvent } from '@flagfleet/appconfig-poller';

/** The poller's event as change delivery's plain value, with old/new definitions of touched flags. */
export function toFlagChange(event: FlagsChangedEvent): FlagChange {
  let definitions: FlagChange['definitions'] | undefined;
  return {
    source: event.source,
    revision: event.revision,
    previousRevision: event.previousRevision,
    versionLabel: event.versionLabel,
    added: event.added,
    removed: event.removed,
    changed: event.changed,
    // Built when first read (a webhook with subscribers): a 10,000-flag change costs nothing to SSE alone.
    get definitions() {
      return (definitions ??= touchedDefinitions(event));
    },
    publishedHere: event.publishedHere,
    fetchedAt: event.snapshot.fetchedAt,
  };
}

function touchedDefinitions(event: FlagsChangedEvent): FlagChange['definitions'] {
  const before = event.previous?.flags?.definitions;
  const after = event.snapshot.flags?.definitions;
  const definitions: Record<string, { old: unknown; new: unknown }> = {};
  for (const keys of [event.added, event.removed, event.changed]) {
    for (const key of keys)
      definitions[key] = { old: before?.get(key) ?? null, new: after?.get(key) ?? null };
  }
  return definitions;
}
