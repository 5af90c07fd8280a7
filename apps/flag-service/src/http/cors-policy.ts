import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** Request headers a browser may send cross-origin: keys, conditional fetches, and Connect/gRPC-web's own. */
const ALLOWED_HEADERS = [
  'authorization',
  'x-api-key',
  'content-type',
  'if-none-match',
  'last-event-id',
  'flagd-selector',
  'connect-protocol-version',
  'connect-timeout-ms',
  'grpc-timeout',
  'x-grpc-web',
  'x-user-agent',
].join(', ');
/** Response headers a page may read: OFREP's bulk ETag, and the wait of a 503 or 429. */
const EXPOSED_HEADERS = 'etag, retry-after, www-authenticate';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** Browsers cap this (Chromium at 2 h); 10 min keeps a changed CORS_ORIGINS effective soon. */
const PREFLIGHT_MAX_AGE_S = '600';

/**
 * Which browser origins may call this port (CORS_ORIGINS: origins, or `*` for any), as response headers: one
 * policy for every route, the OFREP path ahead of Fastify and Fastify's own. Off (null) when CORS_ORIGINS is
 * unset. A foreign origin gets no Access-Control-Allow-Origin, so its page cannot read the answer; the key check
 * still applies to every request (a preflight carries no key and is answered before it).
 */
export class CorsPolicy {
  private readonly any: boolean;
  /** Per allowed origin (lowercase, as browsers send it), its answer headers: built once, not per request. */
  private readonly allowed: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Headers of an answer to a foreign origin (or none): it varies by Origin unless any origin is allowed. */
  private readonly foreign: Readonly<Record<string, string>>;

  private constructor(origins: readonly string[]) {
    this.any = origins.includes('*');
    this.foreign = this.any ? {} : { vary: 'Origin' };
    const headersFor = (origin: string) =>
      Object.freeze({
        ...this.foreign,
        'access-control-allow-origin': origin,
        'access-control-expose-headers': EXPOSED_HEADERS,
      });
    this.allowed = new Map(
      (this.any ? ['*'] : origins.map((origin) => origin.toLowerCase())).map((origin) => [
        origin,
        headersFor(origin),
      ]),
    );
  }

  static fromOrigins(origins: readonly string[]): CorsPolicy | null {
    return origins.length === 0 ? null : new CorsPolicy(origins);
  }

  /** Headers for an answer to a request from `origin` (none when the request names no origin). */
  responseHeaders(origin: string | undefined): Readonly<Record<string, string>> {
    const allowed = this.allowedOrigin(origin);
    return allowed === null ? this.foreign : (this.allowed.get(allowed) ?? this.foreign);
  }

  /** Whether the request is a preflight (OPTIONS asking for a method), to be answered by `answerPreflight`. */
  static isPreflight(request: IncomingMessage): boolean {
    return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  }

  /** 204 with the allowed methods and headers for an allowed origin; 204 without any CORS header for others. */
  answerPreflight(request: IncomingMessage, response: ServerResponse): void {
    request.resume();
    const allowed = this.allowedOrigin(request.headers.origin);
    const headers: Record<string, string> = { ...this.foreign, 'content-length': '0' };
    if (allowed !== null)
      Object.assign(headers, {
        'access-control-allow-origin': allowed,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': PREFLIGHT_MAX_AGE_S,
      });
    response.writeHead(204, headers);
    response.end();
  }

  /** The allow-origin value for `origin`: `*`, the origin itself (lowercase), or null for a foreign one. */
  private allowedOrigin(origin: IncomingHttpHeaders['origin']): string | null {
    if (origin === undefined) return null;
    if (this.any) return '*';
    const lower = origin.toLowerCase();
    return this.allowed.has(lower) ? lower : null;
  }
}
