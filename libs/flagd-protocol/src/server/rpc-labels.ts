import { Code, ConnectError } from '@connectrpc/connect';
import { Service as EvaluationV1 } from '../gen/flagd/evaluation/v1/evaluation_pb';
import { Service as EvaluationV2 } from '../gen/flagd/evaluation/v2/evaluation_pb';
import { FlagSyncService } from '../gen/flagd/sync/v1/sync_pb';

/** `flagd.evaluation.v2.Service/ResolveBoolean`: the method label of the RPC counter. */
export function methodLabel(service: string, method: string): string {
  return `${service}/${method}`;
}

/** Every method served: the closed set of method labels. */
export const FLAGD_METHODS: readonly string[] = [EvaluationV2, EvaluationV1, FlagSyncService].flatMap(
  (service) => service.methods.map((method) => methodLabel(service.typeName, method.name)),
);

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter, index: number) => (index > 0 ? '_' : '') + letter.toLowerCase());
}

/** `ok` and the snake_case gRPC code names (`not_found`, …): the closed set of outcome labels. */
export const FLAGD_OUTCOMES: readonly string[] = [
  'ok',
  ...Object.values(Code)
    .filter((code): code is string => typeof code === 'string')
    .map(snakeCase),
];

/** The outcome label of a failed call. */
export function outcomeOf(error: unknown): string {
  return snakeCase(Code[ConnectError.from(error).code]);
}
