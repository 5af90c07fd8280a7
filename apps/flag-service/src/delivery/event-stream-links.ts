import { Injectable } from '@nestjs/common';

export const EVENT_STREAM_PATH = '/events/stream';

/** An OFREP `eventStreams` entry (exactly one of url/endpoint; the endpoint keeps the caller's origin). */
export interface OfrepEventStream {
  readonly type: 'sse';
  readonly endpoint: { readonly requestUri: string };
  readonly inactivityDelaySec: number;
}

/** What the OFREP bulk answer advertises so providers listen instead of polling. */
@Injectable()
export class EventStreamLinks {
  forSource(source: string): OfrepEventStream[] {
    return [
      {
        type: 'sse',
        endpoint: { requestUri: `${EVENT_STREAM_PATH}?source=${encodeURIComponent(source)}` },
        inactivityDelaySec: 120,
      },
    ];
  }
}
