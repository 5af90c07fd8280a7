import { RevisionListener, SourceKey } from './config-store';

/** A throwing listener must not stop the others nor reach the store's caller. */
export function notifyListeners(
  listeners: Iterable<RevisionListener>,
  source: SourceKey,
  revision: number,
): void {
  for (const listener of [...listeners]) {
    try {
      listener(source, revision);
    } catch {
      // Listeners own their errors; the store has no logger by design (pure lib).
    }
  }
}
