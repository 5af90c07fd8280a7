import { Injectable } from '@nestjs/common';
import { Mailbox } from './mailbox';
import { releaseOnAbort } from './release-on-abort';
import type { SourceChange } from './source-change';

/** What a subscriber keeps of a change (undefined: nothing) and how two unread ones become one. */
export interface SubscriptionOptions<T> {
  /** null: every source. */
  readonly source: string | null;
  /** Ends the subscription: the client went away, the server shuts down. */
  readonly signal: AbortSignal;
  readonly pick: (change: SourceChange) => T | undefined;
  readonly merge: (pending: T, next: T) => T;
}

/**
 * One subscriber's view of the feed: what it has not read yet sits merged in one slot, so a reader that is
 * slow (a full socket: it waits for `drain` before reading on) holds one pending value, never a queue.
 */
export class ChangeSubscription<T> {
  constructor(
    private readonly mailbox: Mailbox<T>,
    private readonly signal: AbortSignal,
    /** Idempotent: on abort, or when the reader ends first. */
    readonly release: () => void,
  ) {}

  /** The unread changes merged, waiting up to `timeoutMs` (undefined: none came); rejects on abort. */
  next(timeoutMs: number): Promise<T | undefined> {
    return this.mailbox.take(this.signal, timeoutMs);
  }
}

type Listener = (change: SourceChange) => void;

/**
 * The one change feed of this replica: every source change (revision loaded, source removed) published
 * once, heard by every protocol. Listeners are called in publication order and must not throw.
 */
@Injectable()
export class ChangeFeed {
  private readonly listeners = new Map<Listener, string | null>();

  publish(change: SourceChange): void {
    for (const [listener, source] of this.listeners) {
      if (source === null || source === change.source) listener(change);
    }
  }

  /**
   * Every change, at once and in order: for a consumer that keeps its own bounded memory of them (the
   * webhook enqueue). Returns the unsubscribe function.
   */
  listen(source: string | null, listener: Listener): () => void {
    this.listeners.set(listener, source);
    return () => this.listeners.delete(listener);
  }

  /** A merging subscription, released when `signal` aborts (or by its `release`). */
  subscribe<T>(options: SubscriptionOptions<T>): ChangeSubscription<T> {
    const mailbox = new Mailbox<T>(options.merge);
    const unsubscribe = this.listen(options.source, (change) => {
      const value = options.pick(change);
      if (value !== undefined) mailbox.put(value);
    });
    return new ChangeSubscription(mailbox, options.signal, releaseOnAbort(options.signal, unsubscribe));
  }

  /** Open subscriptions and listeners (a test sees a stream release its own). */
  get size(): number {
    return this.listeners.size;
  }
}

/** The merge of a subscriber that only needs the newest value. */
export const latest = <T>(_pending: T, next: T): T => next;
