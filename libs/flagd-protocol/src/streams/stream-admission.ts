import { Code, ConnectError } from '@connectrpc/connect';
import type { StreamSlots } from '@flagfleet/serving';

/** The streams of one kind on one port, and the variable that sets how many (named in the refusal). */
export interface StreamAdmission {
  readonly slots: StreamSlots;
  /** `EventStream` or `SyncFlags`. */
  readonly stream: string;
  /** `FLAGD_MAX_EVENT_STREAMS` or `FLAGD_MAX_SYNC_STREAMS`. */
  readonly variable: string;
}

/**
 * A slot for one stream, taken before it subscribes or sends anything; past the limit the call ends at once
 * with RESOURCE_EXHAUSTED naming the variable (providers retry with backoff, through a balancer elsewhere).
 * Returns the slot's release (idempotent).
 */
export function admitStream(admission: StreamAdmission): () => void {
  const release = admission.slots.take();
  if (release === null) {
    // No `:`, `;` or `,`: a client that decodes grpc-message with decodeURI (grpc-js) would leave them escaped
    // from a server that percent-encodes them (as connect-node did before grpc-message.ts respelled its trailers).
    throw new ConnectError(
      `too many open ${admission.stream} streams - this port holds at most ${admission.slots.limit} ` +
        `(${admission.variable}) - retry later or on another replica`,
      Code.ResourceExhausted,
    );
  }
  return release;
}
