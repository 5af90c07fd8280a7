import { Injectable } from '@nestjs/common';
import { StreamTokens } from '../auth/stream-tokens';

export const EVENT_STREAM_PATH = '/events/stream';

/** An OFREP `eventStreams` entry (exactly one of url/endpoint; the endpoint keeps the caller's origin). */
export interface OfrepEventStream {
  readonly type: 'sse';
  readonly endpoint: { readonly requestUri: string };
  readonly inactivityDelaySec: number;
}

/**
 * What the OFREP bulk answer advertises so providers listen instead of polling. With API_KEYS set the URL carries
 * a stream token for the source (an EventSource cannot send a key): it changes every `window()`, so whatever embeds
 * it is rebuilt per window.
 */
@Injectable()
export class EventStreamLinks {
  constructor(private readonly tokens: StreamTokens) {}

  window(): number {
    return this.tokens.window();
  }

  forSource(source: string): OfrepEventStream[] {
    const token = this.tokens.issue(source);
    const query = `source=${encodeURIComponent(source)}${token === null ? '' : `&token=${token}`}`;
    return [
      {
        type: 'sse',
        endpoint: { requestUri: `${EVENT_STREAM_PATH}?${query}` },
        inactivityDelaySec: 120,
      },
    ];
  }
}
