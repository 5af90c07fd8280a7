import type { ChangeNotifier, FlagChange } from './change-notifier';
import { type ChangeEvent, changeEvent } from './sse-frame';

type Listener = (event: ChangeEvent) => void;

/** Recent events kept per source so a reconnecting client (Last-Event-ID) misses none. */
export const SSE_REPLAY_DEPTH = 100;

/**
 * Fans changes out to the SSE clients connected to this replica. Every replica sees every change,
 * so each replica notifies its own clients (unlike webhooks, nothing here is fleet-wide).
 */
export class SseNotifier implements ChangeNotifier {
  private readonly recent = new Map<string, ChangeEvent[]>();
  private readonly listeners = new Map<string, Set<Listener>>();

  async notify(change: FlagChange): Promise<void> {
    const event = changeEvent(change.source, change.revision, change.fetchedAt);
    const kept = (this.recent.get(change.source) ?? []).filter((e) => e.revision < change.revision);
    this.recent.set(change.source, [...kept, event].slice(-SSE_REPLAY_DEPTH));
    for (const listener of this.listeners.get(change.source) ?? []) listener(event);
  }

  /**
   * Replays kept events newer than `lastRevision` (a resume), then streams live ones. When none is
   * kept (this replica started after the client's last event) but `current` is newer, it is sent:
   * one refetch covers any number of missed changes. Returns the unsubscribe function.
   */
  subscribe(
    source: string,
    lastRevision: number | null,
    listener: Listener,
    current?: ChangeEvent,
  ): () => void {
    if (lastRevision !== null) {
      const missed = (this.recent.get(source) ?? []).filter((event) => event.revision > lastRevision);
      if (missed.length === 0 && current && current.revision > lastRevision) missed.push(current);
      missed.forEach(listener);
    }
    const set = this.listeners.get(source) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(source, set);
    return () => {
      set.delete(listener);
      // Idempotent: a second call must not drop a set created since by newer subscribers.
      if (set.size === 0 && this.listeners.get(source) === set) this.listeners.delete(source);
    };
  }

  connectedClients(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
