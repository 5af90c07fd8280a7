import { toBinary, toJsonString, type DescMessage, type Message } from '@bufbuild/protobuf';
import type { Interceptor } from '@connectrpc/connect';
import type { FlagdMetrics } from '../flagd-options';
import { methodLabel, outcomeOf } from './rpc-labels';
import type { UnaryCallPolicy } from './unary-call-policy';

// Connect, gRPC and gRPC-web name the JSON codec in the content type; everything else is binary protobuf.
const JSON_CODEC = /json/i;

/**
 * connect-node's side of the call policy: a unary call is admitted, finished (its answer measured in the codec
 * the client chose, as connect-node then writes it) or failed through `policy`, like a call of the fast path;
 * a stream has its API key checked and is counted by method and outcome when it ends.
 */
export function callInterceptor(policy: UnaryCallPolicy): Interceptor {
  const { metrics } = policy;
  return (next) => async (request) => {
    const method = methodLabel(request.service.typeName, request.method.name);
    if (request.method.methodKind === 'unary') {
      const refused = policy.admit('connect-node', method, request.header);
      if (refused !== undefined) throw refused;
      let response;
      try {
        response = await next(request);
      } catch (error) {
        throw policy.fail(method, error);
      }
      // A unary method answers one message; were it a stream, the call still ends counted once.
      if (response.stream) {
        policy.finish(method, undefined);
        return response;
      }
      const json = JSON_CODEC.test(request.header.get('content-type') ?? '');
      const tooLarge = policy.finish(method, encodedBytes(request.method.output, response.message, json));
      if (tooLarge !== undefined) throw tooLarge;
      return response;
    }
    try {
      const refused = policy.keyRefusal(request.header);
      if (refused !== undefined) throw refused;
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

/** The answer's size on the wire; undefined when it does not encode (connect-node then answers why). */
function encodedBytes(schema: DescMessage, message: Message, json: boolean): number | undefined {
  try {
    return json ? Buffer.byteLength(toJsonString(schema, message)) : toBinary(schema, message).length;
  } catch {
    return undefined;
  }
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
