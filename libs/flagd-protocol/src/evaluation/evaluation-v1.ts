import type { ServiceImpl } from '@connectrpc/connect';
import {
  ErrorCode,
  Reason,
  type EvaluationResult,
  type FlagValue,
  type FlagValueType,
} from '@flagfleet/flag-engine';
import type { JsonObject, MessageInitShape } from '@bufbuild/protobuf';
import { Service, type AnyFlagSchema } from '../gen/flagd/evaluation/v1/evaluation_pb';
import type { EvaluationPort } from '@flagfleet/serving';
import { parseSelector, selectedFlags } from '../selection/source-selector';
import { evaluationError } from './grpc-status';
import { providerEvents, type EventStreamDeps } from './event-stream';
import { isStructValue, resolveFlag, toInt64 } from './resolve-flag';
import { connectHandlers, type UnaryEvaluations } from './unary-evaluation';

interface Answer<T> {
  value: T;
  reason: string;
  variant: string;
  metadata: JsonObject;
}

/**
 * The v1 answer: fields are not optional there, so a DISABLED flag answers the type's zero value and no
 * variant, and a flag without a defaultVariant (reason DEFAULT, no value) is NOT_FOUND, as flagd answers.
 */
function answer<T>(result: EvaluationResult, zero: T, convert: (value: FlagValue) => T | null): Answer<T> {
  if (result.errorCode !== undefined) throw evaluationError(result.errorCode);
  if (result.value === undefined && result.reason !== Reason.DISABLED)
    throw evaluationError(ErrorCode.FLAG_NOT_FOUND);
  const value = result.value === undefined ? zero : convert(result.value);
  if (value === null) throw evaluationError(ErrorCode.TYPE_MISMATCH);
  return {
    value,
    reason: result.reason,
    variant: result.variant ?? '',
    metadata: result.metadata as JsonObject,
  };
}

type AnyFlagValue = MessageInitShape<typeof AnyFlagSchema>['value'];

// ResolveAll answers every flag in its type; a flag without an answer still gets its type's zero value.
function anyFlagValue(type: FlagValueType, value: FlagValue | undefined): AnyFlagValue | null {
  switch (type) {
    case 'boolean':
      return { case: 'boolValue', value: (value as boolean | undefined) ?? false };
    case 'string':
      return { case: 'stringValue', value: (value as string | undefined) ?? '' };
    case 'number':
      return { case: 'doubleValue', value: (value as number | undefined) ?? 0 };
    case 'object':
      if (value === undefined) return { case: 'objectValue', value: {} };
      return isStructValue(value) ? { case: 'objectValue', value } : null;
  }
}

/** The unary methods of `flagd.evaluation.v1.Service`, for providers that predate v2; adds ResolveAll. */
export function evaluationV1(port: EvaluationPort): UnaryEvaluations<typeof Service> {
  return {
    resolveAll: (request, selector) => {
      const { flags, reflected } = selectedFlags(port, parseSelector(selector, undefined));
      const results = port.evaluateServed({ protocol: 'flagd-v1', context: request.context ?? {} }, flags);
      const answers: Record<string, MessageInitShape<typeof AnyFlagSchema>> = {};
      for (const result of results) {
        const definition = flags.definitions.get(result.key);
        // flagd leaves out flags without a defaultVariant.
        if (definition === undefined || definition.defaultVariant === undefined) continue;
        const value = anyFlagValue(definition.valueType, result.value);
        if (value === null) continue;
        answers[result.key] = {
          reason: result.reason,
          variant: result.variant ?? '',
          value,
          metadata: result.metadata as JsonObject,
        };
      }
      const metadata = flags.metadata as JsonObject;
      return { flags: answers, metadata: reflected === null ? metadata : { ...metadata, ...reflected } };
    },
    resolveBoolean: (request, selector) =>
      answer(resolveFlag(port, 'flagd-v1', selector, request, 'boolean'), false, (value) => value as boolean),
    resolveString: (request, selector) =>
      answer(resolveFlag(port, 'flagd-v1', selector, request, 'string'), '', (value) => value as string),
    resolveFloat: (request, selector) =>
      answer(resolveFlag(port, 'flagd-v1', selector, request, 'number'), 0, (value) => value as number),
    resolveInt: (request, selector) =>
      answer(resolveFlag(port, 'flagd-v1', selector, request, 'number'), 0n, (value) =>
        toInt64(value as number),
      ),
    resolveObject: (request, selector) =>
      answer<JsonObject>(resolveFlag(port, 'flagd-v1', selector, request, 'object'), {}, (value) =>
        isStructValue(value) ? value : null,
      ),
  };
}

/** `flagd.evaluation.v1.Service` for connect-node: the unary methods and EventStream. */
export function evaluationServiceV1(
  evaluations: UnaryEvaluations<typeof Service>,
  deps: EventStreamDeps,
): ServiceImpl<typeof Service> {
  return {
    ...connectHandlers(evaluations),
    eventStream: (_request, context) => providerEvents(deps, context),
  };
}
