import type { CompiledFlags, DocumentProblem } from '@flagfleet/flag-engine';
import type { SourceKey } from '@flagfleet/config-store';

/** Event names emitted through @nestjs/event-emitter. */
export const PollerEvent = {
  FLAGS_CHANGED: 'flags.changed',
  CONFIG_REJECTED: 'config.rejected',
  POLLER_ERROR: 'poller.error',
  POLLER_RECOVERED: 'poller.recovered',
} as const;
export type PollerEvent = (typeof PollerEvent)[keyof typeof PollerEvent];

/** The immutable, compiled configuration a replica serves for one source. */
export interface ConfigSnapshot {
  readonly source: SourceKey;
  readonly revision: number;
  readonly versionLabel: string | null;
  readonly contentType: string;
  /** Raw bytes as AppConfig returned them (the agent-compatible endpoint serves these). */
  readonly content: Buffer;
  readonly contentHash: string;
  /** null when the content is not a flag document (e.g. a freeform profile). */
  readonly flags: CompiledFlags | null;
  readonly fetchedAt: number;
  readonly loadedAt: number;
}

/** Emitted once per replica when its snapshot of a source moves to a new revision. */
export interface FlagsChangedEvent {
  readonly source: SourceKey;
  readonly revision: number;
  readonly previousRevision: number | null;
  readonly versionLabel: string | null;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** true only on the replica whose store write created this revision (it enqueues webhooks). */
  readonly publishedHere: boolean;
  readonly snapshot: ConfigSnapshot;
  readonly previous: ConfigSnapshot | null;
}

export interface ConfigRejectedEvent {
  readonly source: SourceKey;
  readonly versionLabel: string | null;
  readonly contentHash: string;
  readonly problems: readonly DocumentProblem[];
}

export interface PollerErrorEvent {
  readonly source: SourceKey;
  /** e.g. ThrottlingException, ResourceNotFoundException, InternalServerException, NetworkError */
  readonly errorName: string;
  readonly message: string;
  readonly retryInMs: number;
}

export interface PollerRecoveredEvent {
  readonly source: SourceKey;
  readonly downForMs: number;
}
