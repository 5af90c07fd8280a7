import { UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { AdminKeyGuard, ApiKeyGuard, StreamKeyGuard } from './api-key.guard';

/** `evaluation`: keys from API_KEYS; `stream`: those, or a stream token; `admin`: keys from ADMIN_API_KEYS. */
export type KeyScope = 'evaluation' | 'stream' | 'admin';

const GUARDS = { evaluation: ApiKeyGuard, stream: StreamKeyGuard, admin: AdminKeyGuard } as const;

/** The Fastify route config entry naming a route's scope; read by the onRequest key check. */
export interface KeyScopedRouteConfig {
  readonly keyScope?: KeyScope;
}

/**
 * Marks a route, or every route of a controller, as needing a key of `scope`. The key is checked in
 * Fastify's onRequest hook (key-check.ts), before the body is read or parsed, so a request without a
 * valid key gets 401/403 whatever its body; the Nest guard checks it again, in case the hook is absent.
 */
export function RequiresKey(scope: KeyScope): ClassDecorator & MethodDecorator {
  const guard = UseGuards(GUARDS[scope]);
  const config = RouteConfig({ keyScope: scope } satisfies KeyScopedRouteConfig);
  return ((target: object, property?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      guard(target, property!, descriptor);
      config(target, property!, descriptor);
      return;
    }
    guard(target as () => void);
    // Route config is per handler in @nestjs/platform-fastify: tag every method of the controller.
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name);
      if (name !== 'constructor' && typeof method?.value === 'function') config(prototype, name, method);
    }
  }) as ClassDecorator & MethodDecorator;
}
