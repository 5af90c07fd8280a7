/**
 * Runs `release` once: when the call's signal aborts or when the caller ends the stream, whichever comes first.
 * A stream whose connection is destroyed while a write waits for `drain` (a half-open client with a full
 * window) never resumes its generator, and connect-node 2.1 waits for a `drain` that never comes: without
 * this its subscription to the change feed, and everything that holds, would stay for the process's life.
 */
export function releaseOnAbort(signal: AbortSignal, release: () => void): () => void {
  let released = false;
  const once = (): void => {
    if (released) return;
    released = true;
    signal.removeEventListener('abort', once);
    release();
  };
  if (signal.aborted) once();
  else signal.addEventListener('abort', once, { once: true });
  return once;
}
