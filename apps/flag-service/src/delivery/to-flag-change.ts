import type { FlagChange } from '@flagfleet/change-delivery';
import type { FlagsChangedEvent } from '@flagfleet/appconfig-poller';

/** The poller's event as change delivery's plain value, with old/new definitions of touched flags. */
export function toFlagChange(event: FlagsChangedEvent): FlagChange {
  const before = event.previous?.flags?.definitions;
  const after = event.snapshot.flags?.definitions;
  const definitions: Record<string, { old: unknown; new: unknown }> = {};
  for (const key of [...event.added, ...event.removed, ...event.changed]) {
    definitions[key] = { old: before?.get(key) ?? null, new: after?.get(key) ?? null };
  }
  return {
    source: event.source,
    revision: event.revision,
    previousRevision: event.previousRevision,
    versionLabel: event.versionLabel,
    added: event.added,
    removed: event.removed,
    changed: event.changed,
    definitions,
    publishedHere: event.publishedHere,
    fetchedAt: event.snapshot.fetchedAt,
  };
}
