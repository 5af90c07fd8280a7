import { Injectable } from '@nestjs/common';
import { ErrorCode, type CompiledFlags, type EvaluationResult } from '@flagfleet/flag-engine';
import type { ConfigSnapshot } from '@flagfleet/appconfig-poller';
import { ServiceMetrics } from '../observability/service-metrics';
import { contextFromBody } from '../evaluation/request-context';
import { ofrepError, ofrepItemJson, ofrepStatus, type HttpAnswer } from '../evaluation/ofrep-answer';
import { bulkEtag, etagMatches } from '../evaluation/bulk-etag';
import { EventStreamLinks } from '../delivery';
import { SnapshotResolver, type SnapshotLookup } from './snapshot-resolver.service';

const NOT_FOUND_LABEL = '__not_found__';

/** OFREP single and bulk evaluation against the in-memory snapshot: no I/O per request. */
@Injectable()
export class OfrepEvaluationService {
  private readonly tails = new WeakMap<ConfigSnapshot, string>();

  constructor(
    private readonly resolver: SnapshotResolver,
    private readonly metrics: ServiceMetrics,
    private readonly eventStreams: EventStreamLinks,
  ) {}

  evaluateFlag(key: string, body: unknown, sourceHeader: string | string[] | undefined): HttpAnswer {
    const parsed = contextFromBody(body);
    if (!parsed.ok) return ofrepError(400, ErrorCode.INVALID_CONTEXT, parsed.details, key);
    const found = this.flagsOf(this.resolver.resolve(sourceHeader), key);
    if ('status' in found) return found;
    const started = this.metrics.singleLatency.start();
    const result = found.flags.evaluateFlag(key, parsed.context);
    this.metrics.singleLatency.stop(started);
    this.count(result);
    return { status: ofrepStatus(result), json: ofrepItemJson(result) };
  }

  evaluateAll(
    body: unknown,
    sourceHeader: string | string[] | undefined,
    ifNoneMatch: string | undefined,
  ): HttpAnswer {
    const parsed = contextFromBody(body);
    if (!parsed.ok) return ofrepError(400, ErrorCode.INVALID_CONTEXT, parsed.details);
    const found = this.flagsOf(this.resolver.resolve(sourceHeader));
    if ('status' in found) return found;
    const { snapshot, flags } = found;
    const etag = bulkEtag(snapshot.source, snapshot.revision, parsed.context);
    if (etagMatches(ifNoneMatch, etag)) return { status: 304, headers: { etag } };
    const started = this.metrics.bulkLatency.start();
    const results = flags.evaluateAll(parsed.context);
    this.metrics.bulkLatency.stop(started);
    for (const result of results) this.count(result);
    let json = '{"flags":[';
    for (let i = 0; i < results.length; i++) json += (i === 0 ? '' : ',') + ofrepItemJson(results[i]);
    return { status: 200, headers: { etag }, json: json + this.bulkTail(snapshot) };
  }

  /** `],"metadata":…,"eventStreams":…}` of a bulk answer: the same for every request against one snapshot. */
  private bulkTail(snapshot: ConfigSnapshot): string {
    let tail = this.tails.get(snapshot);
    if (tail === undefined) {
      const metadata: Record<string, string | number> = {
        source: snapshot.source,
        revision: snapshot.revision,
      };
      if (snapshot.versionLabel) metadata.version = snapshot.versionLabel;
      // eventStreams: providers that understand them listen for changes (SSE) instead of polling.
      const eventStreams = this.eventStreams.forSource(snapshot.source);
      tail = `],"metadata":${JSON.stringify(metadata)},"eventStreams":${JSON.stringify(eventStreams)}}`;
      this.tails.set(snapshot, tail);
    }
    return tail;
  }

  /** The compiled flags of the requested source, or the OFREP error answer explaining why there are none. */
  private flagsOf(
    lookup: SnapshotLookup,
    key?: string,
  ): { snapshot: ConfigSnapshot; flags: CompiledFlags } | HttpAnswer {
    if (!lookup.ok) {
      if (lookup.reason === 'unknown-source') {
        return ofrepError(
          400,
          ErrorCode.GENERAL,
          `unknown source ${JSON.stringify(lookup.source)} (X-Flagfleet-Source)`,
          key,
        );
      }
      const answer = ofrepError(503, ErrorCode.GENERAL, `flags of ${lookup.source} are not loaded yet`, key);
      return { ...answer, headers: { 'retry-after': '1' } };
    }
    const { snapshot } = lookup;
    if (!snapshot.flags) {
      return ofrepError(
        400,
        ErrorCode.GENERAL,
        `source ${snapshot.source} is not a flag document (${snapshot.contentType})`,
        key,
      );
    }
    return { snapshot, flags: snapshot.flags };
  }

  private count(result: EvaluationResult): void {
    if (result.errorCode === ErrorCode.FLAG_NOT_FOUND)
      this.metrics.countEvaluation(NOT_FOUND_LABEL, ErrorCode.FLAG_NOT_FOUND);
    else this.metrics.countEvaluation(result.key, result.errorCode ?? result.reason);
  }
}
