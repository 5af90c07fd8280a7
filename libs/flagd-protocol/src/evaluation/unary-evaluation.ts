import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import type { MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { SELECTOR_HEADER } from '../selection/source-selector';

type UnaryName<S extends GenService<GenServiceMethods>> = {
  [K in keyof S['method']]: S['method'][K]['methodKind'] extends 'unary' ? K : never;
}[keyof S['method']];

/**
 * The unary methods of an evaluation service as plain functions: the request message and the call's
 * `flagd-selector` header (null without one) → the answer; errors are thrown as ConnectErrors. Both the
 * unary gRPC fast path and connect-node call these, so every protocol answers alike.
 */
export type UnaryEvaluations<S extends GenService<GenServiceMethods>> = {
  [K in UnaryName<S>]: (
    request: MessageShape<S['method'][K]['input']>,
    selector: string | null,
  ) => MessageInitShape<S['method'][K]['output']> | Promise<MessageInitShape<S['method'][K]['output']>>;
};

/** The same functions as connect-node handlers, the selector read from the call's request headers. */
export function connectHandlers<S extends GenService<GenServiceMethods>>(
  evaluations: UnaryEvaluations<S>,
): Pick<ServiceImpl<S>, UnaryName<S>> {
  type Evaluate = (request: unknown, selector: string | null) => unknown;
  const handlers: Record<string, (request: unknown, context: HandlerContext) => unknown> = {};
  for (const [name, evaluate] of Object.entries(evaluations as Record<string, Evaluate>)) {
    handlers[name] = (request, context) => evaluate(request, context.requestHeader.get(SELECTOR_HEADER));
  }
  return handlers as unknown as Pick<ServiceImpl<S>, UnaryName<S>>;
}
