import { ErrorCode, isSharedResult, type EvaluationResult, type FlagMetadata } from '@flagfleet/flag-engine';

/** An HTTP answer computed without touching the HTTP layer (so the mapping is unit-testable). */
export interface HttpAnswer {
  readonly status: number;
  /** A JSON body as a value, or already serialised (`json`) when the hot path built it from cached parts. */
  readonly body?: unknown;
  readonly json?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

interface OfrepSuccess {
  key: string;
  reason: string;
  value?: unknown;
  variant?: string;
  metadata: FlagMetadata;
}

interface OfrepFailure {
  key: string;
  errorCode: string;
  errorDetails?: string;
  metadata?: FlagMetadata;
}

/**
 * One engine result as an OFREP item. `value` is omitted when the engine gives none (DISABLED, code default):
 * the contract's codeDefaultFlag, so callers fall back to their code default.
 */
function ofrepItem(result: EvaluationResult): OfrepSuccess | OfrepFailure {
  if (result.errorCode !== undefined) {
    return {
      key: result.key,
      errorCode: result.errorCode,
      errorDetails: result.errorDetails ?? result.errorCode,
      metadata: result.metadata,
    };
  }
  const item: OfrepSuccess = { key: result.key, reason: result.reason, metadata: result.metadata };
  if (result.value !== undefined) item.value = result.value;
  if (result.variant !== undefined) item.variant = result.variant;
  return item;
}

/** The OFREP JSON of one of the engine's shared results, and a number naming that result. */
export interface PreparedItem {
  readonly id: number;
  readonly json: string;
}

// The engine returns shared results for every context-independent answer (STATIC, DEFAULT, DISABLED, each
// TARGETING_MATCH variant): their JSON is computed once and reused on every request.
const prepared = new WeakMap<EvaluationResult, PreparedItem>();
let nextItemId = 1;

/** The prepared item of one of the engine's shared results; undefined for a result made for one request. */
export function preparedItem(result: EvaluationResult): PreparedItem | undefined {
  let item = prepared.get(result);
  if (item === undefined && isSharedResult(result)) {
    item = { id: nextItemId++, json: JSON.stringify(ofrepItem(result)) };
    prepared.set(result, item);
  }
  return item;
}

/** `JSON.stringify(ofrepItem(result))`, prepared once for each of the engine's shared results. */
export function ofrepItemJson(result: EvaluationResult): string {
  return preparedItem(result)?.json ?? freshItemJson(result);
}

/** The OFREP JSON of a result made for one request (`preparedItem` gave none): built each time, never kept. */
export function freshItemJson(result: EvaluationResult): string {
  return JSON.stringify(ofrepItem(result));
}

/** Single-flag status mapping: 404 for FLAG_NOT_FOUND, 400 for every other evaluation error. */
export function ofrepStatus(result: EvaluationResult): number {
  if (result.errorCode === undefined) return 200;
  return result.errorCode === ErrorCode.FLAG_NOT_FOUND ? 404 : 400;
}

/** A request-level failure of the single-flag endpoint (`key` is required there) or of bulk (no key). */
export function ofrepError(
  status: number,
  errorCode: string,
  errorDetails: string,
  key?: string,
): HttpAnswer {
  return { status, body: key === undefined ? { errorCode, errorDetails } : { key, errorCode, errorDetails } };
}

/**
 * The answer to an OFREP request refused before evaluation (unreadable body, body too large, wrong content
 * type, a failure of the service): 400 is INVALID_CONTEXT, any other 4xx GENERAL, 5xx names no detail.
 * Both HTTP paths answer their refusals through this one mapping.
 */
export function ofrepRefusal(status: number, message: string, key?: string): HttpAnswer {
  if (status >= 500) return { status, body: { errorDetails: 'internal error' } };
  return ofrepError(status, status === 400 ? ErrorCode.INVALID_CONTEXT : ErrorCode.GENERAL, message, key);
}
