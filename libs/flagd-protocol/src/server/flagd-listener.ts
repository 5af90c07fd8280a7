import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  createSecureServer,
  type Http2SecureServer,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { FlagdHttp1Limits, FlagdTls } from '../flagd-options';

/** A request listener of either HTTP version (connect-node's adapter takes both). */
export type FlagdRequestListener = (
  request: Http2ServerRequest | IncomingMessage,
  response: Http2ServerResponse | ServerResponse,
) => void;

// The client connection preface of HTTP/2 with prior knowledge (RFC 9113 §3.4), as gRPC clients send h2c.
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * One flagd port that every client reaches, as flagd's `h2c.NewHandler` does: HTTP/2 (gRPC, and Connect or
 * gRPC-web) and HTTP/1.1 (Connect and gRPC-web, as connect-go's default `http.Transport`, the Go flagd
 * provider's RPC mode, and browsers send them) on one listener. In clear text the first bytes decide: the
 * HTTP/2 preface goes to the HTTP/2 server, anything else to the HTTP/1.1 one. Over TLS, ALPN decides.
 */
export class FlagdListener {
  /** What listens: bound, counted (maxConnections) and closed. */
  readonly server: Server;
  /** Where HTTP/2 sessions and streams happen (the listener itself over TLS). */
  readonly http2: Http2Server | Http2SecureServer;
  private readonly sockets = new Set<Socket>();
  private readonly http1: ReturnType<typeof createHttp1Server> | null;

  constructor(
    handler: FlagdRequestListener,
    options: {
      readonly tls?: FlagdTls;
      readonly http1: FlagdHttp1Limits;
      readonly maxConnections: number;
      readonly onSession: (session: ServerHttp2Session) => void;
    },
  ) {
    const { tls, http1: limits } = options;
    if (tls !== undefined) {
      const secure = createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, handler);
      // Read by node's HTTP/1.1 handling of allowHTTP1 connections (node's types omit them on this server).
      Object.assign(secure, {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
      });
      secure.on('session', options.onSession);
      this.server = secure;
      this.http2 = secure;
      this.http1 = null;
    } else {
      const http2 = createHttp2Server(handler);
      http2.on('session', options.onSession);
      const http1 = createHttp1Server(
        {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
        },
        handler,
      );
      this.http1 = http1;
      this.http2 = http2;
      this.server = createNetServer((socket) =>
        routeByPreface(socket, limits.headersTimeoutMs, http1, http2),
      );
    }
    // Streams are capped per port, but a connection costs its session's memory without any (docs/security.md).
    this.server.maxConnections = options.maxConnections;
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** A renewed certificate for the connections to come (TLS only; open ones keep theirs). */
  setSecureContext(tls: FlagdTls): void {
    if (this.http1 === null)
      (this.http2 as Http2SecureServer).setSecureContext({ key: tls.key, cert: tls.cert });
  }

  /** Stops accepting; HTTP/1.1 connections between requests close now, the rest when `destroyAll` runs. */
  close(): Promise<void> {
    const closed = new Promise<void>((done) => this.server.close(() => done()));
    this.http1?.closeIdleConnections();
    return closed;
  }

  /** Ends every connection still open (after shutdown's grace). */
  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}

/**
 * Hands a clear-text connection to the server of its protocol once its first bytes tell which: the HTTP/2
 * preface (possibly split over several reads), or anything else. The bytes read are put back: HTTP/2 sessions
 * read what a socket has buffered before its handle (node's http2 core), HTTP/1.1 parses the stream. A
 * connection that says nothing within the headers timeout is closed, as one that sends no headers would be.
 */
function routeByPreface(
  socket: Socket,
  timeoutMs: number,
  http1: { emit(event: 'connection', socket: Socket): boolean },
  http2: { emit(event: 'connection', socket: Socket): boolean },
): void {
  let seen: Buffer = Buffer.alloc(0);
  socket.setTimeout(timeoutMs, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  const read = (chunk: Buffer): void => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const length = Math.min(seen.length, H2_PREFACE.length);
    const isHttp2 = seen.subarray(0, length).equals(H2_PREFACE.subarray(0, length));
    if (isHttp2 && length < H2_PREFACE.length) return;
    socket.off('data', read);
    socket.setTimeout(0);
    socket.pause();
    socket.unshift(seen);
    if (isHttp2) {
      http2.emit('connection', socket);
    } else {
      http1.emit('connection', socket);
      socket.resume();
    }
  };
  socket.on('data', read);
}
