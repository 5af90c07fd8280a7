import {
  type BeforeApplicationShutdown,
  Controller,
  Get,
  Headers,
  NotFoundException,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiHeader,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { streamChanges } from '@flagfleet/change-delivery';
import { Logger } from '@flagfleet/core';
import { ChangeFeed, EvaluationPort, refusalMessage, StreamSlots } from '@flagfleet/serving';
import { RequiresKey } from '../auth';
import { ServiceConfig } from '../config';
import { SseStreamLimitError } from '../errors';
import { problemBody, textBody } from '../http/openapi-schemas';
import { ServiceMetrics } from '../observability/service-metrics';

const RECONNECT_MS = 2000;
/** Seconds a client refused for SSE_MAX_STREAMS is asked to wait (a balancer may send it elsewhere meanwhile). */
const REFUSED_RETRY_AFTER_S = 5;

@ApiTags('Events')
@ApiSecurity('ApiKeyAuth')
@ApiSecurity('BearerAuth')
@Controller('events')
@RequiresKey('stream')
export class EventStreamController implements BeforeApplicationShutdown {
  /** Open streams, ended on shutdown so the server can close. */
  private readonly open = new Set<AbortController>();
  /** SSE_MAX_STREAMS: each stream holds a connection and its buffers. */
  private readonly slots: StreamSlots;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly config: ServiceConfig,
    private readonly port: EvaluationPort,
    private readonly logger: Logger,
    private readonly metrics: ServiceMetrics,
  ) {
    this.slots = new StreamSlots(config.sse.maxStreams);
  }

  @Get('stream')
  @ApiOperation({
    summary: 'Server-Sent Events: one OFREP refetchEvaluation event per new revision of the source',
  })
  @ApiProduces('text/event-stream')
  @ApiQuery({
    name: 'source',
    required: false,
    description: 'application/environment/profile; default: the first source',
  })
  @ApiQuery({
    name: 'token',
    required: false,
    description:
      "With API_KEYS: instead of a key header (an EventSource sends none), the stream token of the OFREP bulk answer's eventStreams URL, valid for its `source` only",
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'Id of the last event seen: when it is not what is served now (missed changes, a restart), one event at once',
  })
  @ApiResponse({
    status: 200,
    description:
      'text/event-stream; `id` is `<revision>-<content hash>`, `data` {"type":"refetchEvaluation",…}; a removed source: `"removed":true`, then the stream ends',
    ...textBody('text/event-stream'),
  })
  @ApiResponse({ status: 404, description: 'Unknown source', ...problemBody() })
  @ApiResponse({
    status: 503,
    description: `SSE_MAX_STREAMS streams are open on this replica (FLAGFLEET_SSE_STREAM_LIMIT); Retry-After: ${REFUSED_RETRY_AFTER_S}`,
    ...problemBody(),
  })
  stream(
    @Query('source') source: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    // The port's refusals: a source not loaded yet (or not of flags) can be followed; its first load is an event.
    const served = this.port.resolve(source);
    if (served.refusal === 'unknown-source') throw new NotFoundException(refusalMessage(served));
    const key = served.refusal === 'not-loaded' ? served.source : served.snapshot.source;
    const slot = this.slots.take();
    if (slot === null) {
      reply.header('retry-after', String(REFUSED_RETRY_AFTER_S));
      throw new SseStreamLimitError(this.slots.limit);
    }
    this.metrics.sseStreamsChanged(1);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // proxies must not buffer the stream
    });
    const snapshot = served.refusal === 'not-loaded' ? undefined : served.snapshot;
    const ended = new AbortController();
    this.open.add(ended);
    const end = (): void => ended.abort();
    request.raw.once('close', end);
    raw.once('close', end);
    streamChanges({
      feed: this.feed,
      source: key,
      current: snapshot,
      lastEventId,
      out: raw,
      keepAliveMs: this.config.sse.keepAliveMs,
      retryMs: RECONNECT_MS,
      signal: ended.signal,
    })
      .catch((error: Error) => this.logger.warn(`SSE stream of ${key} failed: ${error.message}`))
      .finally(() => {
        slot();
        this.metrics.sseStreamsChanged(-1);
        this.open.delete(ended);
        if (!raw.writableEnded) raw.end();
      });
  }

  beforeApplicationShutdown(): void {
    for (const ended of [...this.open]) ended.abort();
  }
}
