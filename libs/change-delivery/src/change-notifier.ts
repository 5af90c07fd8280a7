/**
 * What change delivery needs to know about one new revision of a source: a plain value, so this lib
 * does not depend on the poller (the Nest glue in the service maps `flags.changed` onto it).
 */
export interface FlagChange {
  /** `application/environment/profile` */
  readonly source: string;
  readonly revision: number;
  readonly previousRevision: number | null;
  readonly versionLabel: string | null;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** Definitions before/after for added, removed and changed keys (null where absent). */
  readonly definitions: Readonly<Record<string, { readonly old: unknown; readonly new: unknown }>>;
  /** true only on the replica whose store write created the revision: it alone enqueues webhooks. */
  readonly publishedHere: boolean;
  /** Epoch ms the configuration was fetched from AppConfig. */
  readonly fetchedAt: number;
}

/** One way of telling the outside world about a change (go-feature-flag's `Notify(diff)`). */
export interface ChangeNotifier {
  notify(change: FlagChange): Promise<void>;
}
