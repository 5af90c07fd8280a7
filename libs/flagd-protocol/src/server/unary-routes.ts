import { Code, ConnectError } from '@connectrpc/connect';
import {
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type DescService,
  type Message,
} from '@bufbuild/protobuf';
import { methodLabel } from './rpc-labels';

/** One unary method as the gRPC fast path serves it: bytes in, bytes out, through the generated schemas. */
export interface UnaryRoute {
  /** `flagd.evaluation.v2.Service/ResolveBoolean`: the label it is counted under. */
  readonly method: string;
  /**
   * Decodes the request message (connect-node's status when the bytes are not one); the returned call
   * evaluates it against the source the selector names and encodes the answer (later, for a method that waits, as
   * FetchAllFlags does for a document built in slices).
   */
  decode(bytes: Uint8Array): (selector: string | null) => Uint8Array | Promise<Uint8Array>;
}

type Evaluate = (request: unknown, selector: string | null) => unknown;

/**
 * The unary methods of the given services by request path (`/flagd.evaluation.v2.Service/ResolveBoolean`),
 * each bound to the same evaluation function connect-node calls for it.
 */
export function unaryRoutes(
  services: ReadonlyArray<readonly [DescService, object]>,
): ReadonlyMap<string, UnaryRoute> {
  const routes = new Map<string, UnaryRoute>();
  for (const [service, evaluations] of services) {
    for (const method of service.methods) {
      if (method.methodKind !== 'unary') continue;
      // UnaryEvaluations<S> types each function by its method's schemas; the descriptors give them here.
      const evaluate = (evaluations as Record<string, Evaluate>)[method.localName];
      routes.set(`/${service.typeName}/${method.name}`, {
        method: methodLabel(service.typeName, method.name),
        decode: (bytes) => {
          const request = parse(method.input, bytes);
          const encode = (answer: unknown): Uint8Array =>
            serialize(method.output, create(method.output, answer as Record<string, unknown>));
          return (selector) => {
            const answer = evaluate(request, selector);
            return answer instanceof Promise ? answer.then(encode) : encode(answer);
          };
        },
      });
    }
  }
  return routes;
}

// connect-node's statuses for a message that does not decode or encode.
function parse(schema: DescMessage, bytes: Uint8Array): unknown {
  try {
    return fromBinary(schema, bytes);
  } catch (error) {
    throw new ConnectError(`parse binary: ${reason(error)}`, Code.Internal);
  }
}

function serialize(schema: DescMessage, message: Message): Uint8Array {
  try {
    return toBinary(schema, message);
  } catch (error) {
    throw new ConnectError(`serialize binary: ${reason(error)}`, Code.Internal);
  }
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));
