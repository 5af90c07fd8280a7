import { inlineDefinitions, type FlagChange } from '@flagfleet/change-delivery';
import type { SourceChange } from '@flagfleet/serving';

/**
 * A change of the feed as change delivery's webhook input, with old/new definitions of touched flags when they
 * fit a webhook; `kind` 'added' tells a revision as the source appearing (its first load after it was added at
 * run time). Nothing of the change's snapshots is kept: a remembered change retaining them held every snapshot of
 * the last minute (32 per source at most), ~60 MB each for 10,000 flags.
 */
export function toFlagChange(change: SourceChange, kind: FlagChange['kind'] = change.kind): FlagChange {
  const before = change.previous?.definitions;
  const after = change.flags?.definitions;
  return {
    kind,
    source: change.source,
    revision: change.revision,
    previousRevision: change.previousRevision,
    versionLabel: change.versionLabel,
    added: change.added,
    removed: change.removed,
    changed: change.changed,
    definitions: inlineDefinitions([...change.added, ...change.removed, ...change.changed], (key) => ({
      old: before?.get(key) ?? null,
      new: after?.get(key) ?? null,
    })),
    publishedHere: change.publishedHere,
    fetchedAt: change.fetchedAt,
  };
}
