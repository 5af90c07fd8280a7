import type { ServiceImpl } from '@connectrpc/connect';
import type { JsonObject } from '@bufbuild/protobuf';
import { ErrorCode, type EvaluationResult, type FlagValue } from '@flagfleet/flag-engine';
import { Service } from '../gen/flagd/evaluation/v2/evaluation_pb';
import { evaluationError } from './grpc-status';
import { providerEvents, type EventStreamDeps } from './event-stream';
import { isStructValue, resolveFlag, toInt64 } from './resolve-flag';
import { connectHandlers, type UnaryEvaluations } from './unary-evaluation';
import type { EvaluationPort } from '@flagfleet/serving';

interface Answer<T> {
  value?: T;
  reason: string;
  variant?: string;
  metadata: JsonObject;
}

/**
 * The v2 answer: errors as statuses; a success always sets the value (also false, 0, ""), except when
 * there is none to give (DISABLED, no defaultVariant): then value and variant stay unset, "use the code default".
 */
function answer<T>(result: EvaluationResult, convert: (value: FlagValue) => T | null): Answer<T> {
  if (result.errorCode !== undefined) throw evaluationError(result.errorCode);
  const base = { reason: result.reason, metadata: result.metadata as JsonObject };
  if (result.value === undefined) return base;
  const value = convert(result.value);
  if (value === null) throw evaluationError(ErrorCode.TYPE_MISMATCH);
  return { ...base, value, ...(result.variant === undefined ? {} : { variant: result.variant }) };
}

/** The unary methods of `flagd.evaluation.v2.Service`, the protocol current providers speak. */
export function evaluationV2(port: EvaluationPort): UnaryEvaluations<typeof Service> {
  return {
    resolveBoolean: (request, selector) =>
      answer(resolveFlag(port, 'flagd-v2', selector, request, 'boolean'), (value) => value as boolean),
    resolveString: (request, selector) =>
      answer(resolveFlag(port, 'flagd-v2', selector, request, 'string'), (value) => value as string),
    resolveFloat: (request, selector) =>
      answer(resolveFlag(port, 'flagd-v2', selector, request, 'number'), (value) => value as number),
    resolveInt: (request, selector) =>
      answer(resolveFlag(port, 'flagd-v2', selector, request, 'number'), (value) => toInt64(value as number)),
    resolveObject: (request, selector) =>
      answer(resolveFlag(port, 'flagd-v2', selector, request, 'object'), (value) =>
        isStructValue(value) ? value : null,
      ),
  };
}

/** `flagd.evaluation.v2.Service` for connect-node: the unary methods and EventStream. */
export function evaluationServiceV2(
  evaluations: UnaryEvaluations<typeof Service>,
  deps: EventStreamDeps,
): ServiceImpl<typeof Service> {
  return {
    ...connectHandlers(evaluations),
    eventStream: (_request, context) => providerEvents(deps, context),
  };
}
