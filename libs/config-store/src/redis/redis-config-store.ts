import { Clock, SystemClock } from '@flagfleet/core';
import { Cluster, Redis } from 'ioredis';
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
import { contentHash } from '../content-hash';
import {
  LeaseLostError,
  StoredDocumentCorruptError,
  StoredDocumentTooLargeError,
  StoreUnavailableError,
} from '../errors';
import { assertTtl } from '../lease-ttl';
import { decodeTokenState, encodeTokenState } from '../token-state';
import { notifyListeners } from '../revision-listeners';
import { compressContent, storedContent } from './document-content';
import { createRedisClient, RedisClientOptions } from './redis-url';
import { DEFAULT_KEY_PREFIX, revisionChannel, SourceRedisKeys, sourceRedisKeys } from './redis-keys';
import { defineStoreScripts } from './scripts';

export interface RedisConfigStoreOptions extends RedisClientOptions {
  /** REDIS_URL in any form `createRedisClient` accepts. */
  readonly url: string;
  /** Prefix of every key and of the channel. Default `flagfleet:`. */
  readonly keyPrefix?: string;
  /** Epoch-ms clock for the `expiresAt` the store reports (Redis itself expires leases). */
  readonly clock?: Clock;
  /** DOCUMENT_MAX_BYTES: a stored document expanding past it is refused. Default 4 MiB (flag-engine's). */
  readonly maxDocumentBytes?: number;
  /** How often tracked sources are checked for revisions whose message was missed; 0 disables. Default 5000. */
  readonly catchUpIntervalMs?: number;
}

/**
 * The fleet store: state in Redis, changes fanned out over Pub/Sub. Every write that a poller makes
 * goes through a Lua script that checks the lease fence, so a paused former holder cannot overwrite
 * what a newer holder stored. Messages can be missed (reconnects, slow subscribers): the store
 * remembers the last revision it announced per source and re-reads revisions on reconnect and
 * periodically, announcing any that moved.
 */
export class RedisConfigStore implements ConfigStore {
  readonly kind = 'redis' as const;
  private readonly client: Redis | Cluster;
  private readonly subscriber: Redis | Cluster;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly clock: Clock;
  private readonly maxDocumentBytes: number;
  private readonly listeners = new Set<RevisionListener>();
  /** Last revision announced to listeners, per source this replica has read, published or heard of. */
  private readonly announced = new Map<SourceKey, number>();
  /** Sources whose revision is being read after a message; a message meanwhile asks for one more read. */
  private readonly verifying = new Map<SourceKey, { again: boolean }>();
  private readonly catchUpTimer?: NodeJS.Timeout;
  private subscription: Promise<void>;
  private subscribed = false;
  private lastError?: string;
  /** Set by the first failed operation, cleared by the next one that succeeds: health follows real calls. */
  private failingSince: number | null = null;
  private closed = false;

  constructor(options: RedisConfigStoreOptions) {
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.clock = options.clock ?? new SystemClock();
    this.maxDocumentBytes = options.maxDocumentBytes ?? 4 * 1024 * 1024;
    this.client = createRedisClient(options.url, {
      ...options,
      connectionName: options.connectionName ?? 'flagfleet-store',
    });
    // Pub/Sub ignores SELECT: a fleet on another database with the same prefix must not share the channel.
    this.channel = revisionChannel(
      this.prefix,
      this.client instanceof Cluster ? 0 : (this.client.options.db ?? 0),
    );
    defineStoreScripts(this.client);
    this.subscriber = this.client.duplicate();
    for (const connection of [this.client, this.subscriber]) {
      // Without a listener ioredis prints every failed reconnect; health() reports it instead.
      connection.on('error', (error: Error) => (this.lastError = error.message));
    }
    // A connection that just passed its ready check answers again; the next operation confirms or refutes it.
    this.client.on('ready', () => (this.failingSince = null));
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    this.subscriber.on('ready', () => {
      // ioredis resubscribes after a reconnect; a first SUBSCRIBE that timed out (Redis down at
      // start) is retried here. Whatever was published while away is caught up.
      if (!this.subscribed) this.subscription = this.subscribe();
      void this.catchUp();
    });
    this.subscription = this.subscribe();
    const interval = options.catchUpIntervalMs ?? 5000;
    if (interval > 0) {
      this.catchUpTimer = setInterval(() => void this.catchUp(), interval);
      this.catchUpTimer.unref();
    }
  }

  async acquireLease(source: SourceKey, owner: string, ttlMs: number): Promise<PollLease | null> {
    assertTtl(ttlMs);
    const keys = this.keys(source);
    // Read the clock before the call: the reported expiry must never be later than Redis's.
    const expiresAt = this.clock.now() + ttlMs;
    const fence = await this.call(() =>
      this.client.flagfleetAcquireLease(keys.lease, keys.fence, owner, Math.ceil(ttlMs)),
    );
    return fence === null ? null : { source, owner, fence: Number(fence), expiresAt };
  }

  async renewLease(lease: PollLease, ttlMs: number): Promise<PollLease | null> {
    assertTtl(ttlMs);
    const keys = this.keys(lease.source);
    const expiresAt = this.clock.now() + ttlMs;
    const renewed = await this.call(() =>
      this.client.flagfleetRenewLease(keys.lease, holderValue(lease), Math.ceil(ttlMs)),
    );
    return renewed === 1 ? { ...lease, expiresAt } : null;
  }

  async releaseLease(lease: PollLease): Promise<boolean> {
    const keys = this.keys(lease.source);
    return (await this.call(() => this.client.flagfleetReleaseLease(keys.lease, holderValue(lease)))) === 1;
  }

  async leaseHolder(source: SourceKey): Promise<LeaseHolder | null> {
    const keys = this.keys(source);
    const replies = await this.call(() => this.client.multi().get(keys.lease).pttl(keys.lease).exec());
    if (!replies) return null;
    const [[, value], [, pttl]] = replies as Array<[Error | null, unknown]>;
    if (typeof value !== 'string' || typeof pttl !== 'number' || pttl < 0) return null;
    const separator = value.indexOf(':');
    return {
      fence: Number(value.slice(0, separator)),
      owner: value.slice(separator + 1),
      expiresAt: this.clock.now() + pttl,
    };
  }

  async readToken(source: SourceKey): Promise<PollTokenState | null> {
    const json = await this.call(() => this.client.get(this.keys(source).token));
    return json === null ? null : decodeTokenState(json);
  }

  async writeToken(lease: PollLease, state: PollTokenState | null): Promise<void> {
    const keys = this.keys(lease.source);
    const json = state ? encodeTokenState(state) : '';
    const written = await this.call(() =>
      this.client.flagfleetWriteToken(keys.fence, keys.token, lease.fence, json),
    );
    if (written !== 1) throw new LeaseLostError(lease.source, lease.fence);
  }

  async readDocument(source: SourceKey): Promise<StoredDocument | null> {
    const fields = await this.call(() => this.client.hgetallBuffer(this.keys(source).document));
    const content = await storedContent(fields, this.maxDocumentBytes);
    if (content === 'too-large') throw new StoredDocumentTooLargeError(source, this.maxDocumentBytes);
    if (!content || !fields.revision) {
      // Asked about before anything was published (replicas starting together): the first revision's
      // message may arrive before this replica subscribed, so the catch-up must watch the source too.
      if (!this.announced.has(source)) this.announced.set(source, 0);
      return null;
    }
    // Content type and content are served only once the content is the one its hash names.
    const hash = fields.contentHash?.toString() ?? '';
    if (contentHash(content) !== hash) throw new StoredDocumentCorruptError(source);
    const document: StoredDocument = {
      source,
      revision: Number(fields.revision.toString()),
      content,
      contentType: fields.contentType?.toString() ?? 'application/octet-stream',
      versionLabel: fields.versionLabel?.toString() ?? null,
      contentHash: hash,
      fetchedAt: Number(fields.fetchedAt?.toString() ?? 0),
    };
    // A cold replica starts from what it read; only later revisions are announced.
    if (!this.announced.has(source)) this.announced.set(source, document.revision);
    return document;
  }

  async publishDocument(lease: PollLease, document: NewDocument): Promise<PublishOutcome> {
    const keys = this.keys(lease.source);
    const label = document.versionLabel;
    const gzipped = await compressContent(document.content);
    const [status, revision] = await this.call(() =>
      this.client.flagfleetPublishDocument(
        keys.fence,
        keys.document,
        lease.fence,
        gzipped,
        document.contentType,
        label ?? '',
        label === null ? '0' : '1',
        document.contentHash,
        document.fetchedAt,
        this.channel,
        lease.source,
        document.minRevision ?? 0,
      ),
    );
    if (status === 0) throw new LeaseLostError(lease.source, lease.fence);
    const { minRevision: _floor, ...fields } = document;
    const stored: StoredDocument = {
      ...fields,
      content: Buffer.from(document.content),
      source: lease.source,
      revision: Number(revision),
    };
    if (status === 1)
      return { published: false, document: (await this.readDocument(lease.source)) ?? stored };
    // Tracked from the revision before, so a lost message is still announced by the catch-up.
    if (!this.announced.has(lease.source)) this.announced.set(lease.source, stored.revision - 1);
    return { published: true, document: stored };
  }

  onRevision(listener: RevisionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the first subscription is active: revisions published from then on reach this replica. */
  async ready(): Promise<void> {
    await this.subscription;
    if (!this.subscribed) throw new StoreUnavailableError(this.health().detail ?? 'not subscribed');
  }

  health(): StoreHealth {
    const linked = this.subscribed && this.client.status === 'ready' && this.subscriber.status === 'ready';
    if (linked && this.failingSince === null) return { kind: 'redis', connected: true };
    const statuses = `client ${this.client.status}, subscriber ${this.subscriber.status}`;
    return {
      kind: 'redis',
      connected: false,
      ...(this.failingSince !== null ? { failingSince: this.failingSince } : {}),
      detail: this.lastError ? `${statuses}: ${this.lastError}` : statuses,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.catchUpTimer);
    this.listeners.clear();
    // disconnect() rather than quit(): closing must not wait on a Redis that is down.
    this.subscriber.disconnect();
    this.client.disconnect();
  }

  private subscribe(): Promise<void> {
    return this.subscriber.subscribe(this.channel).then(
      () => void (this.subscribed = true),
      (error: Error) => void (this.lastError = error.message),
    );
  }

  private keys(source: SourceKey): SourceRedisKeys {
    return sourceRedisKeys(this.prefix, source);
  }

  private onMessage(channel: string, message: string): void {
    if (channel !== this.channel) return;
    const parsed = parseRevisionMessage(message);
    if (parsed) void this.verify(parsed.source);
  }

  /**
   * A message is a hint only: whoever can publish on the channel could claim any revision, and a
   * claimed revision above the real one would make this replica ignore every real one after it. The
   * revision announced is the one the store holds; one read per source at a time, however many hints.
   */
  private async verify(source: SourceKey): Promise<void> {
    const pending = this.verifying.get(source);
    if (pending) {
      pending.again = true;
      return;
    }
    const state = { again: true };
    this.verifying.set(source, state);
    try {
      while (state.again && !this.closed) {
        state.again = false;
        await this.readRevision(source);
      }
    } finally {
      this.verifying.delete(source);
    }
  }

  private async readRevision(source: SourceKey): Promise<void> {
    const revision = await this.call(() => this.client.hget(this.keys(source).document, 'revision')).catch(
      () => null,
    );
    if (revision !== null && !this.closed) this.announce(source, Number(revision));
  }

  private announce(source: SourceKey, revision: number): void {
    if (revision <= (this.announced.get(source) ?? 0)) return;
    this.announced.set(source, revision);
    notifyListeners(this.listeners, source, revision);
  }

  /** Re-reads the revision of every tracked source; errors wait for the next attempt. */
  private async catchUp(): Promise<void> {
    if (this.closed || this.announced.size === 0) return;
    await Promise.all([...this.announced.keys()].map((source) => this.readRevision(source)));
  }

  /** Every Redis failure reaches callers as one coded error; lease loss is decided by the caller. */
  private async call<T>(command: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError('store is closed');
    try {
      const result = await command();
      this.failingSince = null;
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.lastError = message;
      this.failingSince ??= this.clock.now();
      throw new StoreUnavailableError(message, { cause: error });
    }
  }
}

function holderValue(lease: PollLease): string {
  return `${lease.fence}:${lease.owner}`;
}

/** The source a message names; its `revision` is not read (see `verify`). */
function parseRevisionMessage(message: string): { source: SourceKey } | null {
  try {
    const value: unknown = JSON.parse(message);
    if (typeof value !== 'object' || value === null) return null;
    const { source } = value as Record<string, unknown>;
    if (typeof source !== 'string') return null;
    return { source };
  } catch {
    return null;
  }
}
