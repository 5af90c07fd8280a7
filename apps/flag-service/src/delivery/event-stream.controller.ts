import {
  type BeforeApplicationShutdown,
  Controller,
  Get,
  Headers,
  Inject,
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
import { ConfigSnapshots } from '@flagfleet/appconfig-poller';
import {
  CHANGE_DELIVERY,
  type ChangeDelivery,
  changeEvent,
  SSE_KEEPALIVE,
  sseFrame,
  sseRetry,
} from '@flagfleet/change-delivery';
import { RequiresKey } from '../auth';
import { ServiceConfig } from '../config';

const RECONNECT_MS = 2000;

/** `Last-Event-ID` is a revision; anything else means "no resume". */
function lastRevision(header: string | undefined): number | null {
  const value = Number(header);
  return header !== undefined && Number.isInteger(value) && value >= 0 ? value : null;
}

@ApiTags('Events')
@ApiSecurity('ApiKeyAuth')
@ApiSecurity('BearerAuth')
@Controller('events')
@RequiresKey('evaluation')
export class EventStreamController implements BeforeApplicationShutdown {
  /** Open streams, ended on shutdown so the server can close. */
  private readonly open = new Set<() => void>();

  constructor(
    @Inject(CHANGE_DELIVERY) private readonly delivery: ChangeDelivery,
    private readonly config: ServiceConfig,
    private readonly snapshots: ConfigSnapshots,
  ) {}

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
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Revision last seen: missed events are replayed',
  })
  @ApiResponse({
    status: 200,
    description: 'text/event-stream; `id` is the revision, `data` {"type":"refetchEvaluation",…}',
  })
  @ApiResponse({ status: 404, description: 'Unknown source' })
  stream(
    @Query('source') source: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const key = source ?? this.snapshots.defaultSource;
    if (!this.snapshots.sources().includes(key)) {
      reply.code(404).send({ statusCode: 404, message: `unknown source ${JSON.stringify(key)}` });
      return;
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // proxies must not buffer the stream
    });
    raw.write(sseRetry(RECONNECT_MS));
    const snapshot = this.snapshots.get(key);
    const current = snapshot ? changeEvent(key, snapshot.revision, snapshot.fetchedAt) : undefined;
    const unsubscribe = this.delivery.sse.subscribe(
      key,
      lastRevision(lastEventId),
      (event) => raw.write(sseFrame(event)),
      current,
    );
    const keepAlive = setInterval(() => raw.write(SSE_KEEPALIVE), this.config.sse.keepAliveMs);
    const close = () => {
      clearInterval(keepAlive);
      unsubscribe();
      this.open.delete(close);
      if (!raw.writableEnded) raw.end();
    };
    this.open.add(close);
    request.raw.once('close', close);
    raw.once('close', close);
  }

  beforeApplicationShutdown(): void {
    for (const close of [...this.open]) close();
  }
}
