import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { errorCodes } from 'fastify';
import type { ApiKeyGuard } from '../auth';
import type { OfrepEvaluationService } from '../services/ofrep-evaluation.service';
import type { Readiness } from '../services/readiness.service';
import { ofrepRefusal, type HttpAnswer } from '../evaluation/ofrep-answer';
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
 * The OFREP routes on plain node:http, ahead of Fastify and Nest: an adapter that runs the same steps as
 * the Nest route, in the same order, through the same objects — and hands every request it does not
 * take to Fastify unchanged. Routing a request through Fastify and Nest costs several times the
 * evaluation itself (docs/benchmarks.md). apps/flag-service/test/ofrep-paths.spec.ts checks that both paths answer a list
 * of requests byte for byte alike; the whole OFREP suite runs on both.
 *
 * | step                  | Nest route                                  | here                               |
 * | route                 | Fastify router, `flags/:key` and `flags`    | `ofrepRoute`                       |
 * | shutdown              | Fastify answers 503 (return503OnClosing)    | handed to Fastify                  |
 * | key                   | onRequest key check (`guard.verdict`)       | `guard.verdict`, before the body   |
 * | content type, length  | Fastify's parser table and bodyLimit        | JSON with a fitting length, or handed to Fastify |
 * | body                  | read up to bodyLimit, 413 beyond            | `readBody`, same limit and answer  |
 * | parse                 | `jsonBodyParser` (registerJsonBodyParser)   | the same parser                    |
 * | answer                | `OfrepEvaluationService.answer`             | the same call                      |
 * | refusals              | HttpErrorFilter via `ofrepRefusal`          | `ofrepRefusal`                     |
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

/** Fastify's own message for a body over bodyLimit: the Nest route answers it in these words. */
const BODY_TOO_LARGE = new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE().message;

/** true when the fast path took the request. */
function handle(request: IncomingMessage, response: ServerResponse, deps: OfrepFastPathDeps): boolean {
  const route = ofrepRoute(request.method, request.url);
  if (route === undefined || deps.readiness.draining) return false;
  // Node has built `request.headers` already (it checks Host on every request).
  const headers = request.headers;
  const declared = headers['content-length'];
  const overLimit = declared !== undefined && Number(declared) > deps.bodyLimit;
  const verdict = deps.guard.verdict(headers);
  if (verdict !== 200) {
    request.resume();
    if (verdict === 401) response.setHeader('www-authenticate', 'Bearer');
    // After a body declared over the limit the connection is closed, not kept for the next request.
    send(response, { status: verdict }, overLimit);
    return true;
  }
  if (!isJson(headers['content-type']) || overLimit) return false;
  readBody(request, deps.bodyLimit, (text) => {
    if (text === null) {
      send(response, ofrepRefusal(413, BODY_TOO_LARGE, route.key), true);
      return;
    }
    const parsed = deps.parse(text);
    if (!parsed.ok) send(response, ofrepRefusal(400, parsed.message, route.key));
    else send(response, deps.ofrep.answer(route.key, parsed.value, headers));
  });
  return true;
}

/** The OFREP route of a request: `{ key }` for one flag, `{ key: undefined }` for bulk, undefined for others. */
function ofrepRoute(method: string | undefined, url = ''): { key: string | undefined } | undefined {
  if (method !== 'POST') return undefined;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (path === BULK_PATH) return { key: undefined };
  if (!path.startsWith(SINGLE_PREFIX)) return undefined;
  const raw = path.slice(SINGLE_PREFIX.length);
  if (raw.length === 0 || raw.includes('/')) return undefined;
  if (!raw.includes('%')) return { key: raw };
  try {
    return { key: decodeURIComponent(raw) };
  } catch {
    return undefined;
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType === 'application/json' || (contentType !== undefined && JSON_TYPE.test(contentType));
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

/**
 * All headers go to one `writeHead` call: a header set before it (`setHeader`) makes Node copy every header
 * of `writeHead` through `setHeader` as well, which cost 4 % of a bulk request's CPU (the ETag).
 */
function send(response: ServerResponse, answer: HttpAnswer, close = false): void {
  const headers: Record<string, string | number> = { ...answer.headers };
  if (close) headers.connection = 'close';
  if (answer.body === undefined && answer.json === undefined) {
    // As Fastify: an empty 401/403 declares its length; a 304 carries none.
    if (answer.status !== 304) headers['content-length'] = 0;
    response.writeHead(answer.status, headers);
    response.end();
    return;
  }
  const payload = answer.json ?? JSON.stringify(answer.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = Buffer.byteLength(payload);
  response.writeHead(answer.status, headers);
  response.end(payload);
}
