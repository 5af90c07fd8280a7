import type { EvaluationResult } from '@flagfleet/flag-engine';
import { bulkEtag } from './bulk-etag';
import { freshItemJson, ofrepItemJson, ofrepStatus, preparedItem, type HttpAnswer } from './ofrep-answer';

/** A serialised OFREP bulk answer and its ETag. */
export interface BulkAnswer {
  readonly json: Buffer;
  readonly etag: string;
}

interface MemoisedBulk extends BulkAnswer {
  readonly results: readonly EvaluationResult[];
  /** Requests served from this entry since the last `drainCounts`. */
  hits: number;
}

interface MemoisedSingle {
  readonly answer: HttpAnswer;
  hits: number;
}

/** Receives evaluation counts: `times` evaluations that gave `result`. */
export type CountEvaluations = (result: EvaluationResult, times: number) => void;

/** Bounds of one snapshot's bulk memo. Beyond them answers are built per request: still right, only slower. */
export interface BulkMemoLimits {
  readonly entries: number;
  readonly bytes: number;
}

const BULK_MEMO_LIMITS: BulkMemoLimits = { entries: 1024, bytes: 8 * 1024 * 1024 };

/**
 * The OFREP answers of one snapshot, memoised by outcome. The engine returns shared results for every
 * context-independent answer (`isSharedResult`), so every request that ends in the same result (single flag),
 * or in the same results (bulk: most users of a rollout), gets the same bytes, the same ETag and one hit
 * counter: no per-request serialisation, hashing or per-flag counting. Answers holding a result made for one
 * request (an error with details) are built each time. Counts of memoised answers reach `count` when drained
 * (at metrics scrape time), the others at once.
 */
export class SnapshotAnswers {
  private readonly singles = new Map<EvaluationResult, MemoisedSingle>();
  private readonly bulks = new Map<number, MemoisedBulk>();
  private bulkBytes = 0;

  /**
   * @param tail `],"metadata":…}`: the end of every bulk answer of this snapshot
   */
  constructor(
    private readonly revision: number,
    private readonly tail: string,
    private readonly count: CountEvaluations,
    private readonly limits: BulkMemoLimits = BULK_MEMO_LIMITS,
  ) {}

  single(result: EvaluationResult): HttpAnswer {
    let entry = this.singles.get(result);
    if (entry === undefined) {
      const item = preparedItem(result);
      if (item === undefined) {
        this.count(result, 1);
        return { status: ofrepStatus(result), json: freshItemJson(result) };
      }
      // Shared results are finite per document (flags × outcomes): no bound needed.
      entry = { answer: { status: ofrepStatus(result), json: Buffer.from(item.json) }, hits: 0 };
      this.singles.set(result, entry);
    }
    entry.hits++;
    return entry.answer;
  }

  bulk(results: readonly EvaluationResult[]): BulkAnswer {
    let hash = results.length;
    for (let i = 0; i < results.length; i++) {
      const item = preparedItem(results[i]);
      if (item === undefined) return this.buildBulk(results);
      hash = (Math.imul(hash, 31) + item.id) | 0;
    }
    const known = this.bulks.get(hash);
    if (known === undefined) return this.buildBulk(results, hash);
    // A hash collision is answered correctly, just not memoised.
    if (!sameResults(known.results, results)) return this.buildBulk(results);
    known.hits++;
    return known;
  }

  /** Hands the counts of memoised answers to `count` (the metrics scrape calls this). */
  drainCounts(): void {
    for (const [result, entry] of this.singles) {
      if (entry.hits > 0) this.count(result, entry.hits);
      entry.hits = 0;
    }
    for (const entry of this.bulks.values()) {
      if (entry.hits === 0) continue;
      for (const result of entry.results) this.count(result, entry.hits);
      entry.hits = 0;
    }
  }

  /** Memoised under `hash` when one is given (and the bounds allow), built for this request otherwise. */
  private buildBulk(results: readonly EvaluationResult[], hash?: number): BulkAnswer {
    let json = '{"flags":[';
    for (let i = 0; i < results.length; i++) json += (i === 0 ? '' : ',') + ofrepItemJson(results[i]);
    json += this.tail;
    const bytes = Buffer.from(json);
    if (hash !== undefined && this.bulks.size < this.limits.entries) {
      if (this.bulkBytes + bytes.length <= this.limits.bytes) {
        const entry: MemoisedBulk = { json: bytes, etag: bulkEtag(this.revision, bytes), results, hits: 1 };
        this.bulks.set(hash, entry);
        this.bulkBytes += bytes.length;
        return entry;
      }
    }
    for (const result of results) this.count(result, 1);
    return { json: bytes, etag: bulkEtag(this.revision, bytes) };
  }
}

function sameResults(a: readonly EvaluationResult[], b: readonly EvaluationResult[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
