/** What a stream needs of a source's served state to tell a client about it. */
export interface ServedState {
  readonly source: string;
  readonly revision: number;
  /** null: the source was removed. */
  readonly contentHash: string | null;
  /** Epoch ms the configuration was fetched. */
  readonly fetchedAt: number;
}

/** One change as an OFREP event stream item: `data` is JSON with `type: "refetchEvaluation"`. */
export interface ChangeEvent {
  readonly id: string;
  readonly data: {
    readonly type: 'refetchEvaluation';
    /** Unix seconds the configuration was fetched (OFREP `lastModified`). */
    readonly lastModified: number;
    readonly source: string;
    readonly revision: number;
    /** Present (true) when the source is no longer served: a refetch answers 400, the stream ends. */
    readonly removed?: true;
  };
}

/**
 * The revision with the start of its content hash: revisions restart at 1 with a memory store, so a
 * revision alone could name other content after a restart; with the hash an id names what the client saw
 * (the same on every replica of a fleet), and any other id means "refetch".
 */
export function eventId(state: ServedState): string {
  return state.contentHash === null
    ? `${state.revision}-removed`
    : `${state.revision}-${state.contentHash.slice(0, 12)}`;
}

export function changeEvent(state: ServedState): ChangeEvent {
  const { source, revision } = state;
  const lastModified = Math.floor(state.fetchedAt / 1000);
  return {
    id: eventId(state),
    data:
      state.contentHash === null
        ? { type: 'refetchEvaluation', lastModified, source, revision, removed: true }
        : { type: 'refetchEvaluation', lastModified, source, revision },
  };
}

/** The event id says which configuration the client has seen: `Last-Event-ID` on reconnect. */
export function sseFrame(event: ChangeEvent): string {
  return `id: ${event.id}\nevent: message\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** A comment line: keeps proxies from closing an idle stream; clients ignore it. */
export const SSE_KEEPALIVE = ': keep-alive\n\n';

export function sseRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}
