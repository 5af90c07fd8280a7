import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ServiceConfig } from '../config';
import { KeyRing, presentedKey } from './key-ring';
import { AuthRejectedException } from './auth-rejected.exception';
import { StreamTokens } from './stream-tokens';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** What a guard reads of a request: its headers and, for the event stream, its query. */
export interface KeyedRequest {
  readonly headers: Headers;
  readonly query?: unknown;
}

/** Shared check: open when no keys are configured; 401 when no key is presented, 403 when it is wrong. */
abstract class KeyGuard implements CanActivate {
  protected abstract readonly ring: KeyRing;

  /** 200 when the request may pass; also used by the OFREP fast path, which runs outside Nest. */
  verdict(headers: Headers): 200 | 401 | 403 {
    if (this.ring.open) return 200;
    const key = presentedKey(headers);
    if (key === undefined) return 401;
    return this.ring.accepts(key) ? 200 : 403;
  }

  /** The verdict on a whole request (the key check hook and Nest call this). */
  verdictFor(request: KeyedRequest): 200 | 401 | 403 {
    return this.verdict(request.headers);
  }

  canActivate(context: ExecutionContext): boolean {
    const verdict = this.verdictFor(context.switchToHttp().getRequest<FastifyRequest>());
    if (verdict !== 200) throw new AuthRejectedException(verdict);
    return true;
  }
}

/** Evaluation routes (OFREP, agent-compatible, SSE): keys from `API_KEYS`. */
@Injectable()
export class ApiKeyGuard extends KeyGuard {
  protected readonly ring: KeyRing;
  constructor(config: ServiceConfig) {
    super();
    this.ring = new KeyRing(config.auth.apiKeys);
  }
}

/**
 * `GET /events/stream`: an API key, as the other evaluation routes, or the `token` the OFREP bulk answer's
 * `eventStreams` URL carries for its `source` (an EventSource sends no headers; StreamTokens).
 */
@Injectable()
export class StreamKeyGuard extends ApiKeyGuard {
  constructor(
    config: ServiceConfig,
    private readonly tokens: StreamTokens,
  ) {
    super(config);
  }

  override verdictFor(request: KeyedRequest): 200 | 401 | 403 {
    const verdict = this.verdict(request.headers);
    if (verdict === 200) return 200;
    const { source, token } = (request.query ?? {}) as Record<string, unknown>;
    if (typeof source === 'string' && typeof token === 'string' && this.tokens.accepts(source, token))
      return 200;
    return verdict;
  }
}

/** Admin routes (webhook subscriptions, status details): keys from `ADMIN_API_KEYS`. */
@Injectable()
export class AdminKeyGuard extends KeyGuard {
  protected readonly ring: KeyRing;
  constructor(config: ServiceConfig) {
    super();
    this.ring = new KeyRing(config.auth.adminApiKeys);
  }
}
