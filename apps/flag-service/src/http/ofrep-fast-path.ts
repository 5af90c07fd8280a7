import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ErrorCode } from '@flagfleet/flag-engine';
import type { ApiKeyGuard } from '../auth';
import type { OfrepEvaluationService } from '../services/ofrep-evaluation.service';
import type { Readiness } from '../services/readiness.service';
import { SOURCE_HEADER } from '../services/snapshot-resolver.service';
import { ofrepError, type HttpAnswer } from '../evaluation/ofrep-answer';
import type { JsonBodyParser } from './json-body-parser';

const BULK_PATH = '/ofrep/v1/evaluate/flags';
const SINGLE_PREFIX = '/ofrep/v1/evaluate/flags/';

export interface OfrepFastPathDeps {
  readonly ofrep: OfrepEvaluationService;
  readonly guard: ApiKeyGuard;
  readonly readiness: Readiness;
  readonly parse: JsonBodyParser;
  readonly bodyLimit: number;
}

/**
 * The OFREP hot path on plain node:http, ahead of Fastify and Nest: a JSON POST to the OFREP routes is
 * authenticated, read (size-limited), parsed (depth-limited, prototype-safe) and answered by the same
 * OfrepEvaluationService the Nest controller uses. Everything unusual — another content type, a
 * declared length over the limit, draining at shutdown, other methods — goes to Fastify unchanged,
 * where the documented OfrepController answers it identically. Routing per request through Nest's
 * pipeline cost about four fifths of the throughput (docs/benchmarks.md).
 */
export function installOfrepFastPath(server: Server, deps: OfrepFastPathDeps): void {
  const fallbacks = server.listeners('request') as Array<
    (request: IncomingMessage, response: ServerResponse) => void
  >;
  if (fallbacks.length !== 1)
    throw new Error(`expected one request listener (Fastify), found ${fallbacks.length}`);
  const fallback = fallbacks[0];
  server.removeListener('request', fallback);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!handle(request, response, deps)) fallback(request, response);
  });
}

/** true when the fast path took the request. */
function handle(request: IncomingMessage, response: ServerResponse, deps: OfrepFastPathDeps): boolean {
  if (request.method !== 'POST') return false;
  const url = request.url ?? '';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  let key: string | undefined;
  if (path.startsWith(SINGLE_PREFIX)) {
    const raw = path.slice(SINGLE_PREFIX.length);
    if (raw.length === 0 || raw.includes('/')) return false;
    try {
      key = decodeURIComponent(raw);
    } catch {
      return false;
    }
  } else if (path !== BULK_PATH) {
    return false;
  }
  const headers = ofrepHeaders(request.rawHeaders) ?? nodeHeaders(request);
  const contentType = headers.contentType;
  if (contentType === undefined || !/^application\/json\s*(;|$)/i.test(contentType)) return false;
  const declared = headers.contentLength;
  if (declared !== undefined && Number(declared) > deps.bodyLimit) return false;
  if (deps.readiness.draining) return false;

  // Without configured keys the guard reads no header: skip building request.headers for it.
  const verdict = deps.guard.open ? 200 : deps.guard.verdict(request.headers);
  if (verdict !== 200) {
    request.resume();
    if (verdict === 401) response.setHeader('www-authenticate', 'Bearer');
    send(response, { status: verdict });
    return true;
  }
  readBody(request, deps.bodyLimit, (text) => {
    if (text === null) {
      send(
        response,
        ofrepError(413, ErrorCode.GENERAL, `request body is larger than ${deps.bodyLimit} bytes`, key),
        true,
      );
      return;
    }
    const parsed = deps.parse(text);
    if (!parsed.ok) {
      send(response, ofrepError(400, ErrorCode.INVALID_CONTEXT, parsed.message, key));
      return;
    }
    const answer =
      key === undefined
        ? deps.ofrep.evaluateAll(parsed.value, headers.source, headers.ifNoneMatch)
        : deps.ofrep.evaluateFlag(key, parsed.value, headers.source);
    send(response, answer);
  });
  return true;
}

/** The headers the fast path reads. */
interface OfrepHeaders {
  contentType?: string;
  contentLength?: string;
  source?: string | string[];
  ifNoneMatch?: string;
}

/**
 * The fast path's headers straight from `rawHeaders`: Node builds `request.headers` lazily, and building it
 * costs more than this scan. null when one of them repeats: then Node's merging rules apply (nodeHeaders).
 */
function ofrepHeaders(raw: readonly string[]): OfrepHeaders | null {
  const found: OfrepHeaders = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    // Compare lengths first: lower-casing every header name would cost what the scan saves.
    let field: keyof OfrepHeaders | undefined;
    if (name.length === 12 && name.toLowerCase() === 'content-type') field = 'contentType';
    else if (name.length === 14 && name.toLowerCase() === 'content-length') field = 'contentLength';
    else if (name.length === 13 && name.toLowerCase() === 'if-none-match') field = 'ifNoneMatch';
    else if (name.length === SOURCE_HEADER.length && name.toLowerCase() === SOURCE_HEADER) field = 'source';
    if (field === undefined) continue;
    if (found[field] !== undefined) return null;
    found[field] = raw[i + 1];
  }
  return found;
}

function nodeHeaders(request: IncomingMessage): OfrepHeaders {
  const headers = request.headers;
  return {
    contentType: headers['content-type'],
    contentLength: headers['content-length'],
    source: headers[SOURCE_HEADER],
    ifNoneMatch: headers['if-none-match'],
  };
}

/** Calls back with the body as text, or null once it exceeds `limit` (the rest is discarded). */
function readBody(request: IncomingMessage, limit: number, done: (text: string | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  request.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > limit) over = true;
    else chunks.push(chunk);
  });
  request.on('end', () =>
    done(
      over ? null : chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'),
    ),
  );
  request.on('error', () => undefined);
}

function send(response: ServerResponse, answer: HttpAnswer, close = false): void {
  if (answer.headers) for (const name in answer.headers) response.setHeader(name, answer.headers[name]);
  if (close) response.setHeader('connection', 'close');
  if (answer.body === undefined && answer.json === undefined) {
    response.writeHead(answer.status);
    response.end();
    return;
  }
  const payload = answer.json ?? JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}
