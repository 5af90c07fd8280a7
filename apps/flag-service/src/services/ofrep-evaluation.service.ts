import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import { ErrorCode, type CompiledFlags } from '@flagfleet/flag-engine';
import { EvaluationPort, refusalMessage, type ConfigSnapshot, type ServedFlags } from '@flagfleet/serving';
import { ServiceMetrics } from '../observability/service-metrics';
import { contextFromBody } from '../evaluation/request-context';
import { ofrepError, type HttpAnswer } from '../evaluation/ofrep-answer';
import { etagMatches } from '../evaluation/bulk-etag';
import { SnapshotAnswers } from '../evaluation/snapshot-answers';
import { EventStreamLinks } from '../delivery';
import { SOURCE_HEADER, requestedSource } from './requested-source';

/** What a source serves now: its snapshot, the compiled flags and the memoised answers. */
interface Serving {
  readonly snapshot: ConfigSnapshot;
  readonly flags: CompiledFlags;
  readonly answers: SnapshotAnswers;
  /** The stream-token window its bulk answer's `eventStreams` URL was made in (EventStreamLinks). */
  readonly window: number;
}

/** OFREP single and bulk evaluation against the in-memory snapshot: no I/O per request. */
@Injectable()
export class OfrepEvaluationService {
  private readonly serving = new Map<string, Serving>();

  constructor(
    private readonly port: EvaluationPort,
    metrics: ServiceMetrics,
    private readonly eventStreams: EventStreamLinks,
  ) {
    metrics.beforeCollect(() => {
      for (const { answers } of this.serving.values()) answers.drainCounts();
    });
  }

  /**
   * The answer to one OFREP evaluation request, whichever HTTP path carried it (the Nest controller or the
   * fast path): `key` for the single-flag route, undefined for bulk; `body` as parsed.
   */
  answer(key: string | undefined, body: unknown, headers: IncomingHttpHeaders): HttpAnswer {
    const source = headers[SOURCE_HEADER];
    return key === undefined
      ? this.evaluateAll(body, source, headers['if-none-match'])
      : this.evaluateFlag(key, body, source);
  }

  private evaluateFlag(key: string, body: unknown, sourceHeader: string | string[] | undefined): HttpAnswer {
    const parsed = contextFromBody(body);
    if (!parsed.ok) return ofrepError(400, ErrorCode.INVALID_CONTEXT, parsed.details, key);
    const serving = this.servingOf(this.port.resolve(requestedSource(sourceHeader)), key);
    if ('status' in serving) return serving;
    return serving.answers.single(this.port.timeSingle(serving.flags, key, parsed.context));
  }

  private evaluateAll(
    body: unknown,
    sourceHeader: string | string[] | undefined,
    ifNoneMatch: string | undefined,
  ): HttpAnswer {
    const parsed = contextFromBody(body);
    if (!parsed.ok) return ofrepError(400, ErrorCode.INVALID_CONTEXT, parsed.details);
    const serving = this.servingOf(this.port.resolve(requestedSource(sourceHeader)));
    if ('status' in serving) return serving;
    const { json, etag } = serving.answers.bulk(this.port.timeBulk(serving.flags, parsed.context));
    if (etagMatches(ifNoneMatch, etag)) return { status: 304, headers: { etag } };
    return { status: 200, headers: { etag }, json };
  }

  /** What the requested source serves, or the OFREP error answer explaining why it serves no flags. */
  private servingOf(served: ReturnType<EvaluationPort['resolve']>, key?: string): Serving | HttpAnswer {
    if (served.refusal !== undefined) return ofrepRefusal(served, key);
    const { snapshot } = served;
    const current = this.serving.get(snapshot.source);
    if (current?.snapshot === snapshot && current.window === this.eventStreams.window()) return current;
    return this.memoise(served, current);
  }

  private memoise({ snapshot, flags }: ServedFlags, current: Serving | undefined): Serving {
    current?.answers.drainCounts();
    // Read before the tail is built: a window that turns meanwhile leaves a newer token, never an older one.
    const window = this.eventStreams.window();
    const serving: Serving = {
      snapshot,
      flags,
      answers: new SnapshotAnswers(snapshot.revision, this.bulkTail(snapshot), (result, times) =>
        this.port.count('ofrep', result, times),
      ),
      window,
    };
    this.serving.set(snapshot.source, serving);
    return serving;
  }

  /** `],"metadata":…,"eventStreams":…}` of a bulk answer: the same for every request against one snapshot. */
  private bulkTail(snapshot: ConfigSnapshot): string {
    const metadata: Record<string, string | number> = {
      source: snapshot.source,
      revision: snapshot.revision,
    };
    if (snapshot.versionLabel) metadata.version = snapshot.versionLabel;
    // eventStreams: providers that understand them listen for changes (SSE) instead of polling.
    const eventStreams = this.eventStreams.forSource(snapshot.source);
    return `],"metadata":${JSON.stringify(metadata)},"eventStreams":${JSON.stringify(eventStreams)}}`;
  }
}

/** OFREP's wire for a refusal of the port: its status and error code, the port's wording. */
function ofrepRefusal(
  refused: Exclude<ReturnType<EvaluationPort['resolve']>, ServedFlags>,
  key: string | undefined,
): HttpAnswer {
  const message = refusalMessage(refused);
  switch (refused.refusal) {
    case 'unknown-source':
      return ofrepError(400, ErrorCode.GENERAL, `${message} (X-Flagfleet-Source)`, key);
    case 'not-loaded':
      return { ...ofrepError(503, ErrorCode.GENERAL, message, key), headers: { 'retry-after': '1' } };
    case 'not-flags':
      return ofrepError(400, ErrorCode.GENERAL, message, key);
  }
}
