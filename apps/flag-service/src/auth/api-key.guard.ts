import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ServiceConfig } from '../config';
import { KeyRing, presentedKey } from './key-ring';
import { AuthRejectedException } from './auth-rejected.exception';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

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

  canActivate(context: ExecutionContext): boolean {
    const verdict = this.verdict(context.switchToHttp().getRequest<FastifyRequest>().headers);
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

/** Admin routes (webhook subscriptions, status details): keys from `ADMIN_API_KEYS`. */
@Injectable()
export class AdminKeyGuard extends KeyGuard {
  protected readonly ring: KeyRing;
  constructor(config: ServiceConfig) {
    super();
    this.ring = new KeyRing(config.auth.adminApiKeys);
  }
}
