/** One change as an OFREP event stream item: `data` is JSON with `type: "refetchEvaluation"`. */
export interface ChangeEvent {
  readonly source: string;
  readonly revision: number;
  readonly data: {
    readonly type: 'refetchEvaluation';
    /** Unix seconds the configuration was fetched (OFREP `lastModified`). */
    readonly lastModified: number;
    readonly source: string;
    readonly revision: number;
  };
}

export function changeEvent(source: string, revision: number, fetchedAt: number): ChangeEvent {
  return {
    source,
    revision,
    data: { type: 'refetchEvaluation', lastModified: Math.floor(fetchedAt / 1000), source, revision },
  };
}

/** The revision is the event id, so `Last-Event-ID` says where a reconnecting client left off. */
export function sseFrame(event: ChangeEvent): string {
  return `id: ${event.revision}\nevent: message\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** A comment line: keeps proxies from closing an idle stream; clients ignore it. */
export const SSE_KEEPALIVE = ': keep-alive\n\n';

export function sseRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}
