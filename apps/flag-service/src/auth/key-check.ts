import type { FastifyInstance } from 'fastify';
import type { AdminKeyGuard, ApiKeyGuard, StreamKeyGuard } from './api-key.guard';
import type { KeyScopedRouteConfig } from './requires-key';

/**
 * Checks the key of every route marked with RequiresKey in onRequest, the first hook: before Fastify reads,
 * limits or parses the body, so a request without a valid key is answered 401/403 (no body, as OFREP
 * specifies), never 400, 413 or 415 — and its body costs nothing.
 */
export function registerKeyCheck(
  instance: FastifyInstance,
  guards: {
    readonly evaluation: ApiKeyGuard;
    readonly stream: StreamKeyGuard;
    readonly admin: AdminKeyGuard;
  },
): void {
  instance.addHook('onRequest', (request, reply, done) => {
    const scope = (request.routeOptions.config as KeyScopedRouteConfig).keyScope;
    const verdict = scope === undefined ? 200 : guards[scope].verdictFor(request);
    if (verdict === 200) return done();
    if (verdict === 401) reply.header('www-authenticate', 'Bearer');
    void reply.code(verdict).send();
  });
}
