import type { SourceChange } from '@flagfleet/serving';

/**
 * What change delivery needs to know about one change of a source: the feed's change (the app hands each on
 * from the ChangeFeed) with the old/new definitions of the touched flags. `added`: the source is served from
 * now on (its first load after it appeared at run time; the app tells it before that load's revision).
 */
export interface FlagChange extends Pick<
  SourceChange,
  | 'source'
  | 'revision'
  | 'previousRevision'
  | 'versionLabel'
  | 'added'
  | 'removed'
  | 'changed'
  | 'publishedHere'
  | 'fetchedAt'
> {
  readonly kind: SourceChange['kind'] | 'added';
  /**
   * Definitions before/after for added, removed and changed keys (null where absent), or null when their JSON
   * is over MAX_INLINE_FLAGS_BYTES (the receiver refetches): built by `inlineDefinitions` when the change is
   * made, so a change remembered until queued holds that much, not the two snapshots it compares.
   */
  readonly definitions: FlagDefinitions | null;
}

export type FlagDefinitions = Readonly<Record<string, { readonly old: unknown; readonly new: unknown }>>;

/** One way of telling the outside world about a change (go-feature-flag's `Notify(diff)`). */
export interface ChangeNotifier {
  notify(change: FlagChange): Promise<void>;
}
