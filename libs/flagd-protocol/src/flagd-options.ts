import type { EvaluationPort } from '@flagfleet/serving';

export type FlagdVerdict = 'ok' | 'unauthenticated' | 'permission-denied';

/** Counts the service's metrics: RPCs by method and outcome, open streams. */
export interface FlagdMetrics {
  /** `method`: `flagd.evaluation.v2.Service/ResolveBoolean`; `outcome`: a gRPC code name (`ok`, `not_found`, …). */
  rpcFinished(method: string, outcome: string): void;
  /** `stream`: `event` (EventStream, v1 and v2) or `sync` (SyncFlags); `delta`: +1 on open, -1 on close. */
  streamsChanged(stream: 'event' | 'sync', delta: 1 | -1): void;
}

export interface FlagdTls {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

/** Bounds of an HTTP/1.1 connection on a flagd port (Connect and gRPC-web): the HTTP port's own. */
export interface FlagdHttp1Limits {
  /** The request's headers (and, in clear text, a connection's first bytes) must arrive within this. */
  readonly headersTimeoutMs: number;
  /** The whole request must arrive within this (not the answer: streams are not cut). */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is kept this long between requests. */
  readonly keepAliveTimeoutMs: number;
}

export interface FlagdProtocolOptions {
  /** null: the evaluation service (v1 + v2) is off. 0: an ephemeral port (tests). */
  readonly evaluationPort: number | null;
  /** null: the sync service is off. */
  readonly syncPort: number | null;
  readonly host: string;
  /**
   * Every unary evaluation goes through the port (one source resolution, counted and timed as flagd-v1/v2), and
   * every stream resolves its source there too: one set of refusals, worded once.
   */
  readonly evaluations: EvaluationPort;
  /** Checks the request headers (gRPC metadata) of every call; absent: open. */
  readonly authorize?: (headers: Readonly<Record<string, string | string[] | undefined>>) => FlagdVerdict;
  readonly metrics?: FlagdMetrics;
  /** Largest request message accepted (larger: RESOURCE_EXHAUSTED). */
  readonly maxRequestBytes: number;
  /** Largest response message sent (a larger flag document is refused with RESOURCE_EXHAUSTED). */
  readonly maxResponseBytes: number;
  /** EventStreams (v1 and v2) open at once on the evaluation port; one more is refused with RESOURCE_EXHAUSTED. */
  readonly maxEventStreams: number;
  /** SyncFlags streams open at once on the sync port; one more is refused with RESOURCE_EXHAUSTED. */
  readonly maxSyncStreams: number;
  /** Connections open at once on each flagd port; further ones are dropped on accept (HTTP_MAX_CONNECTIONS). */
  readonly maxConnections: number;
  /** A connection with no call open for this long is closed (GOAWAY): FLAGD_IDLE_TIMEOUT_MS. */
  readonly idleTimeoutMs: number;
  /** keep_alive period of EventStream, and of the HTTP/2 pings that find half-open connections. */
  readonly keepAliveMs: number;
  /** HTTP/1.1 connections (Connect, gRPC-web), beside HTTP/2 on the same port. */
  readonly http1: FlagdHttp1Limits;
  /** Served over TLS (HTTP/2 with ALPN, HTTP/1.1 allowed for Connect and gRPC-web) when set. */
  readonly tls?: FlagdTls;
}

export const FLAGD_OPTIONS = Symbol('FLAGD_OPTIONS');

/** flagd's own interval for keep_alive events on EventStream. */
export const FLAGD_KEEP_ALIVE_MS = 20_000;
