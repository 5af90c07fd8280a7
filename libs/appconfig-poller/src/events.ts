import type { DocumentProblem } from '@flagfleet/flag-engine';
import type { ConfigSnapshot, SourceChange } from '@flagfleet/serving';
import type { SourceKey } from '@flagfleet/config-store';

/** Event names emitted through @nestjs/event-emitter. */
export const PollerEvent = {
  FLAGS_CHANGED: 'flags.changed',
  CONFIG_REJECTED: 'config.rejected',
  POLLER_ERROR: 'poller.error',
  POLLER_RECOVERED: 'poller.recovered',
} as const;
export type PollerEvent = (typeof PollerEvent)[keyof typeof PollerEvent];

/**
 * Emitted once per replica when its snapshot of a source moves to a new revision: the fields of the one change
 * type every protocol consumes (`SourceChange`), with the snapshots themselves.
 */
export interface FlagsChangedEvent extends Pick<
  SourceChange,
  'revision' | 'previousRevision' | 'versionLabel' | 'added' | 'removed' | 'changed' | 'publishedHere'
> {
  readonly source: SourceKey;
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
