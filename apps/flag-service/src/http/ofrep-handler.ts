import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { errorCodes } from 'fastify';
import type { ApiKeyGuard } from '../auth';
import type { OfrepEvaluationService } from '../services/ofrep-evaluation.service';
import type { Readiness } from '../services/readiness.service';
import { ofrepRefusal, type HttpAnswer } from '../evaluation/ofrep-answer';
import { CorsPolicy } from './cors-policy';
import type { JsonBodyParser } from './json-body-parser';
import { OFREP_ROUTES } from './ofrep-routes';

const SINGLE_PREFIX = OFREP_ROUTES.single.path.slice(0, -'{key}'.length);
const JSON_TYPE = /^application\/json\s*(;|$)/i;
const TEXT_TYPE = /^text\/plain\s*(;|$)/i;

/** Called once an answer is written (the per-request log line at debug). */
export type OfrepResponseHook = (request: IncomingMessage, status: number, startedAt: number) => void;

export interface OfrepHandlerDeps {
  readonly ofrep: OfrepEvaluationService;
  readonly guard: ApiKeyGuard;
  readonly readiness: Readiness;
  readonly parse: JsonBodyParser;
  readonly bodyLimit: number;
  /** CORS_ORIGINS; null when off. */
  readonly cors: CorsPolicy | null;
  readonly onResponse?: OfrepResponseHook;
}

/** Fastify's own texts, so that clients see the answers they saw when Fastify routed OFREP. */
const BODY_TOO_LARGE = new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE().message;
const UNSUPPORTED_MEDIA_TYPE = new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE().message;
/** What Fastify answers a request that arrives while it closes (return503OnClosing). */
const DRAINING_BODY = '{"error":"Service Unavailable","message":"Service Unavailable","statusCode":503}';

/**
 * The one path of the OFREP POST routes (OFREP_ROUTES), on plain node:http ahead of Fastify: routing a
 * request through Fastify and Nest costs several times the evaluation itself (docs/benchmarks.md). Every
 * other request goes to Fastify unchanged, but CORS preflights, answered here for every route. Steps, in the
 * order Fastify ran them when it routed OFREP: draining (503), API key (before the body), media type (JSON or
 * text/plain read as JSON, or no body; else 415), length (413 beyond BODY_LIMIT_BYTES), the hardened JSON parser,
 * then `OfrepEvaluationService.answer`.
 */
export class OfrepHandler {
  /** Requests this handler answered: tests assert that it, the only OFREP path, served them. */
  served = 0;

  constructor(private readonly deps: OfrepHandlerDeps) {}

  /** Puts the handler in front of the server's one request listener (Fastify's). */
  install(server: Server): void {
    const fallbacks = server.listeners('request') as Array<
      (request: IncomingMessage, response: ServerResponse) => void
    >;
    if (fallbacks.length !== 1)
      throw new Error(`expected one request listener (Fastify), found ${fallbacks.length}`);
    const fallback = fallbacks[0];
    server.removeListener('request', fallback);
    const { cors } = this.deps;
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (cors !== null && CorsPolicy.isPreflight(request)) return cors.answerPreflight(request, response);
      const route = ofrepRoute(request.method, request.url);
      if (route === undefined) fallback(request, response);
      else this.handle(route.key, request, response);
    });
  }

  private handle(key: string | undefined, request: IncomingMessage, response: ServerResponse): void {
    this.served += 1;
    const { deps } = this;
    const startedAt = deps.onResponse === undefined ? 0 : performance.now();
    const cors = deps.cors?.responseHeaders(request.headers.origin);
    const reply = (answer: HttpAnswer, close = false): void => {
      send(response, answer, close, cors);
      deps.onResponse?.(request, answer.status, startedAt);
    };
    if (deps.readiness.draining) {
      request.resume();
      drained(response, cors);
      deps.onResponse?.(request, 503, startedAt);
      return;
    }
    // Node has built `request.headers` already (it checks Host on every request).
    const headers = request.headers;
    const declared = headers['content-length'];
    const overLimit = declared !== undefined && Number(declared) > deps.bodyLimit;
    const verdict = deps.guard.verdict(headers);
    if (verdict !== 200) {
      request.resume();
      // After a body declared over the limit the connection is closed, not kept for the next request.
      reply(
        { status: verdict, headers: verdict === 401 ? { 'www-authenticate': 'Bearer' } : undefined },
        overLimit,
      );
      return;
    }
    const type = headers['content-type'];
    // text/plain is read as JSON too (registerJsonBodyParser says why).
    if (!isJson(type) && !(type !== undefined && TEXT_TYPE.test(type))) {
      request.resume();
      if (type === undefined && bodyless(headers)) reply(deps.ofrep.answer(key, undefined, headers));
      else reply(ofrepRefusal(415, UNSUPPORTED_MEDIA_TYPE, key));
      return;
    }
    if (overLimit) {
      request.resume();
      reply(ofrepRefusal(413, BODY_TOO_LARGE, key), true);
      return;
    }
    readBody(request, deps.bodyLimit, (text) => {
      if (text === null) {
        reply(ofrepRefusal(413, BODY_TOO_LARGE, key), true);
        return;
      }
      const parsed = deps.parse(text);
      if (!parsed.ok) reply(ofrepRefusal(400, parsed.message, key));
      else reply(deps.ofrep.answer(key, parsed.value, headers));
    });
  }
}

/** The OFREP route of a request: `{ key }` for one flag, `{ key: undefined }` for bulk, undefined for others. */
function ofrepRoute(method: string | undefined, url = ''): { key: string | undefined } | undefined {
  if (method !== 'POST') return undefined;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (path === OFREP_ROUTES.bulk.path) return { key: undefined };
  if (!path.startsWith(SINGLE_PREFIX)) return undefined;
  const raw = path.slice(SINGLE_PREFIX.length);
  // An empty key, a slash or a bad escape: not an OFREP route, so Fastify answers its 404 or 400.
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

/** As Fastify: no body is announced, neither by length nor by chunks. */
function bodyless(headers: IncomingMessage['headers']): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
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

function drained(response: ServerResponse, cors: Readonly<Record<string, string>> | undefined): void {
  response.writeHead(503, {
    ...cors,
    'content-type': 'application/json',
    'content-length': DRAINING_BODY.length,
    connection: 'close',
  });
  response.end(DRAINING_BODY);
}

/**
 * All headers go to one `writeHead` call: a header set before it (`setHeader`) makes Node copy every header
 * of `writeHead` through `setHeader` as well, which cost 4 % of a bulk request's CPU (the ETag).
 */
function send(
  response: ServerResponse,
  answer: HttpAnswer,
  close: boolean,
  cors: Readonly<Record<string, string>> | undefined,
): void {
  const headers: Record<string, string | number> = { ...cors, ...answer.headers };
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
