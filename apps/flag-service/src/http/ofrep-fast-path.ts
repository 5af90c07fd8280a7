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
const JSON_TYPE = /^application\/json\s*(;|$)/i;

export interface OfrepFastPathDeps {
  readonly ofrep: OfrepEvaluationService;
  readonly guard: ApiKeyGuard;
  readonly readiness: Readiness;
  readonly parse: JsonBodyParser;
  readonly bodyLimit: number;
}

/**
 * The OFREP hot path on plain node:http, ahead of Fastify and Nest: a POST to the OFREP routes is
 * authenticated first (whatever its body), then, when JSON, read (size-limited), parsed (depth-limited,
 * prototype-safe) and answered by the same OfrepEvaluationService the Nest controller uses. Everything unusual — another content type, a
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
    if (!raw.includes('%')) key = raw;
    else {
      try {
        key = decodeURIComponent(raw);
      } catch {
        return false;
      }
    }
  } else if (path !== BULK_PATH) {
    return false;
  }
  if (deps.readiness.draining) return false;
  // Node has built `request.headers` already (it checks Host on every request).
  const headers = request.headers;
  const declared = headers['content-length'];
  // The key first, as Fastify's onRequest check does: no 400, 413 or 415 before it.
  const verdict = deps.guard.verdict(headers);
  if (verdict !== 200) {
    request.resume();
    if (verdict === 401) response.setHeader('www-authenticate', 'Bearer');
    // After a body declared over the limit the connection is closed, not kept for the next request.
    send(response, { status: verdict }, declared !== undefined && Number(declared) > deps.bodyLimit);
    return true;
  }
  const contentType = headers['content-type'];
  if (contentType !== 'application/json' && !(contentType !== undefined && JSON_TYPE.test(contentType)))
    return false;
  if (declared !== undefined && Number(declared) > deps.bodyLimit) return false;
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
        ? deps.ofrep.evaluateAll(parsed.value, headers[SOURCE_HEADER], headers['if-none-match'])
        : deps.ofrep.evaluateFlag(key, parsed.value, headers[SOURCE_HEADER]);
    send(response, answer);
  });
  return true;
}

/** Calls back with the body as text, or null once it exceeds `limit` (the rest is discarded). */
function readBody(request: IncomingMessage, limit: number, done: (text: string | null) => void): void {
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    if (size > limit) return;
    size += chunk.length;
    if (size > limit) return;
    if (first === undefined) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  request.on('end', () => {
    if (size > limit) done(null);
    else if (more !== undefined) done(Buffer.concat(more).toString('utf8'));
    else done(first === undefined ? '' : first.toString('utf8'));
  });
  // No 'error' listener: Node emits no error for a client that goes away mid-body unless one is attached.
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
