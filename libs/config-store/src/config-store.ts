/**
 * The store contract shared by the memory store (one replica) and the Redis store (a fleet).
 * Everything a poller writes goes through a PollLease: the store refuses a write whose fence is
 * not the current one, so a paused or partitioned former holder can never overwrite newer state.
 */

/** `application/environment/profile`, identifiers as configured (names or ids). */
export type SourceKey = string;

/** The configuration document currently served for a source. */
export interface StoredDocument {
  readonly source: SourceKey;
  /** 1, 2, 3 … per source, assigned by the store on each publish of new content. */
  readonly revision: number;
  readonly content: Buffer;
  readonly contentType: string;
  readonly versionLabel: string | null;
  /** sha256 hex of `content`: identical bytes are never published twice. */
  readonly contentHash: string;
  /** Epoch ms when the poller received these bytes. */
  readonly fetchedAt: number;
}

export interface NewDocument extends Omit<StoredDocument, 'source' | 'revision'> {
  /**
   * The lowest revision this publish may take: the publisher's own snapshot revision + 1. Revisions then
   * never go backwards when the store lost its data (a Redis restart without persistence, a failover to
   * an empty replica), so ETags, SSE resume and webhook ordering stay sound.
   */
  readonly minRevision?: number;
}

/**
 * The single-use AppConfigData poll token and when it may next be used, with the fleet's poll facts
 * that every replica reads along with it (its /status shows them, whichever replica polled).
 */
export interface PollTokenState {
  readonly token: string;
  /** Epoch ms the token's session started: tokens live 24 h, sessions are renewed before that. */
  readonly sessionStartedAt: number;
  /** Epoch ms when the next poll is due (NextPollIntervalInSeconds plus jitter). */
  readonly nextPollAt: number;
  /** Epoch ms of the fleet's last successful poll, and the interval AppConfig asked for then. */
  readonly polledAt?: number;
  readonly intervalMs?: number;
  /** The newest configuration AppConfig served that failed validation; absent once a valid one is served. */
  readonly rejected?: RejectedConfiguration;
  /**
   * Set while the session has sent content its holder has not yet published or refused: the session will
   * not send it again, so whoever polls next (the holder lost its lease, stalled or died) starts a new one.
   */
  readonly unpublished?: true;
}

/** A configuration the poller refused: the one before it keeps serving. */
export interface RejectedConfiguration {
  /** Epoch ms of the poll that received it. */
  readonly at: number;
  readonly versionLabel: string | null;
  readonly contentHash: string;
  /** Distinct problem codes (FLAGFLEET_…), in order of first appearance. */
  readonly problemCodes: readonly string[];
  readonly problemCount: number;
}

/** Proof of holding the poll lease for one source. */
export interface PollLease {
  readonly source: SourceKey;
  readonly owner: string;
  /** Increases on every acquisition of this source's lease; writes carry it and are checked against it. */
  readonly fence: number;
  /** Epoch ms; the holder must renew before then. */
  readonly expiresAt: number;
}

export interface LeaseHolder {
  readonly owner: string;
  readonly fence: number;
  readonly expiresAt: number;
}

export interface PublishOutcome {
  /** false when the content hash equals the current document's: nothing changed, no notification. */
  readonly published: boolean;
  readonly document: StoredDocument;
}

export type RevisionListener = (source: SourceKey, revision: number) => void;

export interface StoreHealth {
  readonly kind: 'memory' | 'redis';
  /**
   * false while the backing service is unreachable or its last real operation failed (a hung Redis
   * keeps its connections open, so the connection state alone says nothing); evaluation keeps serving.
   */
  readonly connected: boolean;
  /** Epoch ms of the first failed operation since the last one that succeeded. */
  readonly failingSince?: number;
  readonly detail?: string;
}

export interface ConfigStore {
  readonly kind: 'memory' | 'redis';

  /** Takes the lease when it is free or expired; null when someone else holds it. */
  acquireLease(source: SourceKey, owner: string, ttlMs: number): Promise<PollLease | null>;
  /** Extends a lease still held with this fence; null when it was lost. */
  renewLease(lease: PollLease, ttlMs: number): Promise<PollLease | null>;
  /** Frees the lease if still held with this fence; false when it was already lost. */
  releaseLease(lease: PollLease): Promise<boolean>;
  leaseHolder(source: SourceKey): Promise<LeaseHolder | null>;

  readToken(source: SourceKey): Promise<PollTokenState | null>;
  /** Stores (or clears, with null) the next token; throws LeaseLostError when the fence is stale. */
  writeToken(lease: PollLease, state: PollTokenState | null): Promise<void>;

  readDocument(source: SourceKey): Promise<StoredDocument | null>;
  /**
   * Publishes new content as revision current+1 and notifies every subscriber (all replicas);
   * returns published=false when the hash is unchanged. Throws LeaseLostError when the fence is stale.
   */
  publishDocument(lease: PollLease, document: NewDocument): Promise<PublishOutcome>;

  /** Called for every revision published by any replica (including this one). Returns unsubscribe. */
  onRevision(listener: RevisionListener): () => void;

  health(): StoreHealth;
  close(): Promise<void>;
}

/** Nest injection token for the ConfigStore. */
export const CONFIG_STORE = Symbol('CONFIG_STORE');
