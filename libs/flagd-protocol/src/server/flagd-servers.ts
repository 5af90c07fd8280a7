import type { ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { setMaxListeners } from 'node:events';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { Logger } from '@flagfleet/core';
import { Service as EvaluationV1 } from '../gen/flagd/evaluation/v1/evaluation_pb';
import { Service as EvaluationV2 } from '../gen/flagd/evaluation/v2/evaluation_pb';
import { FlagSyncService } from '../gen/flagd/sync/v1/sync_pb';
import { ChangeFeed, StreamSlots } from '@flagfleet/serving';
import { evaluationServiceV1, evaluationV1 } from '../evaluation/evaluation-v1';
import { evaluationServiceV2, evaluationV2 } from '../evaluation/evaluation-v2';
import { flagSyncService, syncUnary } from '../sync/flag-sync';
import { FlagdListenFailedError } from '../errors';
import { closeWhenIdle } from '../streams/idle-sessions';
import { FLAGD_OPTIONS, type FlagdProtocolOptions, type FlagdTls } from '../flagd-options';
import { callHandler } from './call-handler';
import { UnaryCallPolicy, type UnaryTransport } from './unary-call-policy';
import { unaryRoutes, type UnaryRoute } from './unary-routes';
import { FlagdListener } from './flagd-listener';

// How long shutdown waits for connections to finish after their streams ended, before closing them hard.
const CLOSE_GRACE_MS = 2_000;
// How long EventStreams are given to flush provider_shutdown before their calls are aborted.
const SHUTDOWN_MESSAGE_MS = 50;

/**
 * The two flagd listeners (evaluation v1 + v2 on one port, sync on another), each HTTP/2 and HTTP/1.1 on one
 * port (flagd-listener.ts), answering gRPC, gRPC-web and Connect through @connectrpc/connect-node, unary gRPC calls (evaluation, FetchAllFlags,
 * GetMetadata) through a fast path that calls the same functions (unary-fast-path.ts); every unary call on either runs the one
 * call policy (unary-call-policy.ts). Started when the application boots,
 * ended before it shuts down: EventStreams send provider_shutdown and end (as flagd does), other streams end
 * with UNAVAILABLE (providers reconnect, elsewhere), then connections close with GOAWAY.
 */
@Injectable()
export class FlagdServers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly servers = new Map<'evaluation' | 'sync', FlagdListener>();
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly shutdown = new AbortController();
  /** Aborted first on shutdown: EventStreams say provider_shutdown and end before connections close. */
  private readonly ending = new AbortController();
  private started = false;
  private readonly calls: UnaryCallPolicy;

  constructor(
    @Inject(FLAGD_OPTIONS) private readonly options: FlagdProtocolOptions,
    private readonly feed: ChangeFeed,
    logger: Logger,
  ) {
    this.logger = logger.child('flagd');
    this.calls = new UnaryCallPolicy(options);
    // Every call in flight listens to the shutdown signal: no listener cap.
    setMaxListeners(0, this.shutdown.signal);
    setMaxListeners(0, this.ending.signal);
  }

  private readonly logger: Logger;

  async onApplicationBootstrap(): Promise<void> {
    const { options } = this;
    const deps = {
      feed: this.feed,
      port: options.evaluations,
      keepAliveMs: options.keepAliveMs,
      maxMessageBytes: options.maxResponseBytes,
      metrics: options.metrics,
      ending: this.ending.signal,
    };
    if (options.evaluationPort !== null) {
      const v2 = evaluationV2(options.evaluations);
      const v1 = evaluationV1(options.evaluations);
      const routes = unaryRoutes([
        [EvaluationV2, v2],
        [EvaluationV1, v1],
      ]);
      const events = {
        ...deps,
        admission: {
          slots: new StreamSlots(options.maxEventStreams),
          stream: 'EventStream',
          variable: 'FLAGD_MAX_EVENT_STREAMS',
        },
      };
      await this.listen('evaluation', options.evaluationPort, routes, (router) => {
        router.service(EvaluationV2, evaluationServiceV2(v2, events));
        router.service(EvaluationV1, evaluationServiceV1(v1, events));
      });
    }
    if (options.syncPort !== null) {
      const admission = {
        slots: new StreamSlots(options.maxSyncStreams),
        stream: 'SyncFlags',
        variable: 'FLAGD_MAX_SYNC_STREAMS',
      };
      const sync = syncUnary(deps);
      await this.listen('sync', options.syncPort, unaryRoutes([[FlagSyncService, sync]]), (router) =>
        router.service(FlagSyncService, flagSyncService(sync, { ...deps, admission })),
      );
    }
    this.started = true;
  }

  /** Every enabled listener is bound (readiness waits for this). */
  get listening(): boolean {
    return (
      this.started &&
      !this.shutdown.signal.aborted &&
      [...this.servers.values()].every((listener) => listener.server.listening)
    );
  }

  /** Unary calls admitted so far, by the transport that served them (tests assert which path served). */
  unaryServed(): Readonly<Record<UnaryTransport, number>> {
    return { ...this.calls.served };
  }

  /** The bound port of a listener; null when it is off. */
  port(service: 'evaluation' | 'sync'): number | null {
    const address = this.servers.get(service)?.server.address();
    return typeof address === 'object' && address !== null ? (address as AddressInfo).port : null;
  }

  /** Serves a renewed certificate on both ports (new connections; TLS only). */
  setSecureContext(tls: FlagdTls): void {
    for (const listener of this.servers.values()) listener.setSecureContext(tls);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.ending.abort(new ConnectError('flagfleet is shutting down', Code.Unavailable));
    // A tick for each EventStream to write its provider_shutdown, bounded like the rest of the close.
    await new Promise<void>((done) => setTimeout(done, SHUTDOWN_MESSAGE_MS).unref());
    this.shutdown.abort(new ConnectError('flagfleet is shutting down', Code.Unavailable));
    const closed = [...this.servers.values()].map((listener) => listener.close());
    for (const session of this.sessions) session.close();
    const grace = new Promise<void>((done) => setTimeout(done, CLOSE_GRACE_MS).unref());
    await Promise.race([Promise.all(closed), grace]);
    for (const session of this.sessions) session.destroy();
    for (const listener of this.servers.values()) listener.destroyAll();
  }

  private async listen(
    name: 'evaluation' | 'sync',
    port: number,
    unary: ReadonlyMap<string, UnaryRoute>,
    routes: (router: ConnectRouter) => void,
  ): Promise<void> {
    const { options } = this;
    const handler = callHandler({
      policy: this.calls,
      routes,
      unary,
      shutdownSignal: this.shutdown.signal,
    });
    const listener = new FlagdListener(handler, {
      tls: options.tls,
      http1: options.http1,
      maxConnections: options.maxConnections,
      onSession: (session) => this.watch(session),
    });
    const { server } = listener;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(new FlagdListenFailedError(name, port, error.message)));
      server.listen(port, options.host, () => resolve());
    });
    server.on('error', (error) =>
      this.logger.error(`flagd ${name} listener failed`, { error: error.message }),
    );
    this.logger.info(`flagd ${name} listening`, { port: (server.address() as AddressInfo).port });
    this.servers.set(name, listener);
  }

  /**
   * A connection whose peer stops answering HTTP/2 pings (half-open: the host vanished) is closed after two
   * periods, so its streams and their pending messages are released.
   */
  private watch(session: ServerHttp2Session): void {
    this.sessions.add(session);
    let awaitingAck = false;
    const timer = setInterval(() => {
      if (awaitingAck || session.destroyed) {
        session.destroy();
        return;
      }
      awaitingAck = session.ping(() => (awaitingAck = false));
    }, this.options.keepAliveMs);
    timer.unref();
    session.once('close', () => {
      clearInterval(timer);
      this.sessions.delete(session);
    });
    session.on('error', () => session.destroy());
    closeWhenIdle(session, this.options.idleTimeoutMs);
  }
}
