import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ServiceConfig } from '../config';
import { KeyRing, presentedKey } from './key-ring';
import { AuthRejectedException } from './auth-rejected.exception';

/** Shared check: open when no keys are configured; 401 when no key is presented, 403 when it is wrong. */
abstract class KeyGuard implements CanActivate {
  protected abstract readonly ring: KeyRing;

  canActivate(context: ExecutionContext): boolean {
    if (this.ring.open) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = presentedKey(request.headers);
    if (key === undefined) throw new AuthRejectedException(401);
    if (!this.ring.accepts(key)) throw new AuthRejectedException(403);
    return true;
  }
}

/** Evaluation routes (OFREP, agent-compatible, SSE): keys from `API_KEYS`. */
@Injectable()
export class ApiKeyGuard extends KeyGuard {
  protected readonly ring: KeyRing;
  constructor(config: ServiceConfig) {
    super();
    this.ring = new KeyRing(config.apiKeys);
  }
}

/** Admin routes (webhook subscriptions, status details): keys from `ADMIN_API_KEYS`. */
@Injectable()
export class AdminKeyGuard extends KeyGuard {
  protected readonly ring: KeyRing;
  constructor(config: ServiceConfig) {
    super();
    this.ring = new KeyRing(config.adminApiKeys);
  }
}
