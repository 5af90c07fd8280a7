import type { ServerHttp2Session } from 'node:http2';

/**
 * A connection with no call open for `idleMs` is closed with GOAWAY (gRPC's MAX_CONNECTION_IDLE; clients open a
 * new one when they next call). A client that ended or abandoned its streams but kept its connection answers
 * the keep-alive pings for ever, and would hold the session's memory (about 23 KB of nghttp2's and 20 KB of
 * JavaScript, docs/security.md) for as long as it does.
 *
 * A call costs a count and a clock read, not a timer: the one timer of the session checks when it fires whether
 * the connection is still idle and, if a call came meanwhile, waits again for what is left, instead of a timeout
 * cleared and set again around most unary calls (about 250 ns a call with a closure, now 130 ns; docs/benchmarks.md,
 * "flagd RPC ResolveBoolean").
 */
export function closeWhenIdle(session: ServerHttp2Session, idleMs: number): void {
  let open = 0;
  let idleSince = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    timer = undefined;
    if (open > 0 || session.closed || session.destroyed) return;
    const left = idleSince + idleMs - performance.now();
    if (left <= 0) session.close();
    else arm(left);
  };
  const arm = (ms: number): void => {
    timer = setTimeout(check, ms);
    timer.unref();
  };
  // One listener for every stream of the session (`on`: a stream closes once), not a closure per call.
  const closed = (): void => {
    open -= 1;
    if (open > 0) return;
    idleSince = performance.now();
    if (timer === undefined) arm(idleMs);
  };
  session.on('stream', (stream) => {
    open += 1;
    stream.on('close', closed);
  });
  session.once('close', () => clearTimeout(timer));
  arm(idleMs);
}
