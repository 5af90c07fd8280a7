import type { Interceptor } from '@connectrpc/connect';
import type { FlagdMetrics, FlagdProtocolOptions } from '../flagd-options';
import { authorizationError } from './call-authorization';
import { methodLabel, outcomeOf } from './rpc-labels';

/**
 * Every call: the API key check (same keys as HTTP: `authorization: Bearer <key>` or `x-api-key` in the
 * gRPC metadata), then the RPC counted by method and outcome, a stream when it ends.
 */
export function callObserver(options: Pick<FlagdProtocolOptions, 'authorize' | 'metrics'>): Interceptor {
  const { authorize, metrics } = options;
  return (next) => async (request) => {
    const method = methodLabel(request.service.typeName, request.method.name);
    try {
      if (authorize !== undefined) {
        const headers: Record<string, string> = {};
        request.header.forEach((value, name) => (headers[name] = value));
        const refused = authorizationError(authorize, headers);
        if (refused !== undefined) throw refused;
      }
      const response = await next(request);
      if (!response.stream) {
        metrics?.rpcFinished(method, 'ok');
        return response;
      }
      return { ...response, message: counted(response.message, method, metrics) };
    } catch (error) {
      metrics?.rpcFinished(method, outcomeOf(error));
      throw error;
    }
  };
}

async function* counted<T>(messages: AsyncIterable<T>, method: string, metrics: FlagdMetrics | undefined) {
  let outcome = 'ok';
  try {
    yield* messages;
  } catch (error) {
    outcome = outcomeOf(error);
    throw error;
  } finally {
    metrics?.rpcFinished(method, outcome);
  }
}
