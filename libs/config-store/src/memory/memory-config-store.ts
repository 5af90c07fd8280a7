import { Clock, SystemClock } from '@flagfleet/core';
import {
  ConfigStore,
  LeaseHolder,
  NewDocument,
  PollLease,
  PollTokenState,
  PublishOutcome,
  RevisionListener,
  SourceKey,
  StoreHealth,
  StoredDocument,
} from '../config-store';
import { LeaseLostError } from '../errors';
import { assertTtl } from '../lease-ttl';
import { copyTokenState } from '../token-state';
import { notifyListeners } from '../revision-listeners';
import { copyInSlices } from './copy-in-slices';

export interface MemoryConfigStoreOptions {
  /** Clock of lease expiry; tests inject a ManualClock. Default: the system clock. */
  readonly clock?: Clock;
}

/** State of one source; shared by every replica created with `replica()`. */
interface SourceState {
  fence: number;
  holder: LeaseHolder | null;
  token: PollTokenState | null;
  document: StoredDocument | null;
}

interface SharedState {
  readonly sources: Map<SourceKey, SourceState>;
  readonly stores: Set<MemoryConfigStore>;
}

/**
 * The store for a single replica (no REDIS_URL): same contract as the Redis store, state in
 * process memory. `replica()` gives another store on the same state, so in-process tests can
 * model several replicas without Redis.
 */
export class MemoryConfigStore implements ConfigStore {
  readonly kind = 'memory' as const;
  private readonly clock: Clock;
  private readonly listeners = new Set<RevisionListener>();

  constructor(
    options: MemoryConfigStoreOptions = {},
    private readonly shared: SharedState = { sources: new Map(), stores: new Set() },
  ) {
    this.clock = options.clock ?? new SystemClock();
    shared.stores.add(this);
  }

  /** Another store (replica) backed by the same state and clock. */
  replica(): MemoryConfigStore {
    return new MemoryConfigStore({ clock: this.clock }, this.shared);
  }

  async acquireLease(source: SourceKey, owner: string, ttlMs: number): Promise<PollLease | null> {
    assertTtl(ttlMs);
    const state = this.state(source);
    const holder = this.liveHolder(state);
    // A holder re-acquiring gets a new fence, like anyone else: its older lease objects go stale.
    if (holder && holder.owner !== owner) return null;
    state.fence += 1;
    state.holder = { owner, fence: state.fence, expiresAt: this.clock.now() + ttlMs };
    return { source, ...state.holder };
  }

  async renewLease(lease: PollLease, ttlMs: number): Promise<PollLease | null> {
    assertTtl(ttlMs);
    const state = this.state(lease.source);
    if (!this.holds(state, lease)) return null;
    state.holder = { owner: lease.owner, fence: lease.fence, expiresAt: this.clock.now() + ttlMs };
    return { source: lease.source, ...state.holder };
  }

  async releaseLease(lease: PollLease): Promise<boolean> {
    const state = this.state(lease.source);
    if (!this.holds(state, lease)) return false;
    state.holder = null;
    return true;
  }

  async leaseHolder(source: SourceKey): Promise<LeaseHolder | null> {
    const holder = this.liveHolder(this.state(source));
    return holder ? { ...holder } : null;
  }

  async readToken(source: SourceKey): Promise<PollTokenState | null> {
    const token = this.state(source).token;
    return token ? copyTokenState(token) : null;
  }

  async writeToken(lease: PollLease, state: PollTokenState | null): Promise<void> {
    const source = this.fenced(lease);
    source.token = state ? copyTokenState(state) : null;
  }

  async readDocument(source: SourceKey): Promise<StoredDocument | null> {
    const document = this.state(source).document;
    // Stored documents are never changed in place (a publish replaces the object): copying after a yield is safe.
    return document ? { ...document, content: await copyInSlices(document.content) } : null;
  }

  async publishDocument(lease: PollLease, document: NewDocument): Promise<PublishOutcome> {
    const holds = (state: SourceState) => state.document?.contentHash === document.contentHash;
    let state = this.fenced(lease);
    let content = document.content;
    if (!holds(state)) {
      // The store's own copy, made before the check-and-set below, which runs in one turn as a Redis script does.
      content = await copyInSlices(document.content);
      state = this.fenced(lease);
    }
    const current = state.document;
    // The caller is answered with its own bytes (equal to those stored), so no second copy is made.
    if (current !== null && holds(state)) {
      return { published: false, document: { ...current, content: document.content } };
    }
    const stored: StoredDocument = {
      source: lease.source,
      revision: Math.max((current?.revision ?? 0) + 1, document.minRevision ?? 0),
      content,
      contentType: document.contentType,
      versionLabel: document.versionLabel,
      contentHash: document.contentHash,
      fetchedAt: document.fetchedAt,
    };
    state.document = stored;
    for (const store of this.shared.stores) store.notify(lease.source, stored.revision);
    return { published: true, document: { ...stored, content: document.content } };
  }

  onRevision(listener: RevisionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  health(): StoreHealth {
    return { kind: 'memory', connected: true };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.shared.stores.delete(this);
  }

  private notify(source: SourceKey, revision: number): void {
    // Asynchronous, like a Redis message: a listener never runs inside the publisher's call.
    queueMicrotask(() => notifyListeners(this.listeners, source, revision));
  }

  private state(source: SourceKey): SourceState {
    let state = this.shared.sources.get(source);
    if (!state) {
      state = { fence: 0, holder: null, token: null, document: null };
      this.shared.sources.set(source, state);
    }
    return state;
  }

  private liveHolder(state: SourceState): LeaseHolder | null {
    if (state.holder && state.holder.expiresAt <= this.clock.now()) state.holder = null;
    return state.holder;
  }

  private holds(state: SourceState, lease: PollLease): boolean {
    const holder = this.liveHolder(state);
    return holder !== null && holder.owner === lease.owner && holder.fence === lease.fence;
  }

  /** Writes need the current fence only (as the Redis scripts): an expired lease nobody took yet may still write. */
  private fenced(lease: PollLease): SourceState {
    const state = this.state(lease.source);
    if (state.fence !== lease.fence) throw new LeaseLostError(lease.source, lease.fence);
    return state;
  }
}
