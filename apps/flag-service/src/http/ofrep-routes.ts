import type { OpenAPIObject } from '@nestjs/swagger';
import {
  OfrepBulkFailureDto,
  OfrepBulkSuccessDto,
  OfrepEvaluationFailureDto,
  OfrepEvaluationRequestDto,
  OfrepEvaluationSuccessDto,
  OfrepGeneralErrorDto,
} from '../dtos/ofrep.dto';
import { schemaRef } from './openapi-schemas';

type Operation = NonNullable<OpenAPIObject['paths'][string]['post']>;
type Responses = Operation['responses'];

interface OfrepRoute {
  readonly path: string;
  readonly operation: Operation;
}

const schema = (model: { name: string }) => ({
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${model.name}` } } },
});

/**
 * What both routes answer besides evaluations, each with the body OfrepHandler sends: refusals before
 * evaluation carry the route's failure shape (`failure`), the contract's generalErrorResponse on 500.
 */
const commonResponses = (failure: { name: string }): Responses => ({
  '401': {
    description: 'API key missing (no body)',
    headers: { 'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string' } } },
  },
  '403': { description: 'API key wrong (no body)' },
  '413': { description: 'Body larger than BODY_LIMIT_BYTES (GENERAL)', ...schema(failure) },
  '415': { description: 'Body neither JSON nor text (GENERAL)', ...schema(failure) },
  '500': { description: 'Unexpected failure', ...schema(OfrepGeneralErrorDto) },
  '503': {
    description:
      'Flags of the source not loaded yet (GENERAL, `Retry-After: 1`), or the service draining (Fastify’s body)',
    content: {
      'application/json': {
        schema: {
          anyOf: [schema(failure).content['application/json'].schema, schemaRef('ServiceUnavailable')],
        },
      },
    },
  },
});

const COMMON: Pick<Operation, 'tags' | 'security' | 'requestBody'> = {
  tags: ['OFREP'],
  security: [{ ApiKeyAuth: [] }, { BearerAuth: [] }],
  requestBody: { required: false, ...schema(OfrepEvaluationRequestDto) },
};

const SOURCE_HEADER = {
  name: 'X-Flagfleet-Source',
  in: 'header' as const,
  required: false,
  description: 'application/environment/profile to evaluate against; default: the first configured source.',
  schema: { type: 'string' as const },
};

/**
 * The OFREP POST routes: the paths OfrepHandler serves (its only path) and the OpenAPI operations
 * `/docs-json` lists for them, from this one object.
 */
export const OFREP_ROUTES: { readonly single: OfrepRoute; readonly bulk: OfrepRoute } = {
  single: {
    path: '/ofrep/v1/evaluate/flags/{key}',
    operation: {
      ...COMMON,
      summary: 'Evaluate one flag (OFREP)',
      operationId: 'evaluateFlag',
      parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }, SOURCE_HEADER],
      responses: {
        '200': { description: '', ...schema(OfrepEvaluationSuccessDto) },
        '400': {
          description: 'INVALID_CONTEXT, PARSE_ERROR, GENERAL, unknown source',
          ...schema(OfrepEvaluationFailureDto),
        },
        '404': { description: 'FLAG_NOT_FOUND', ...schema(OfrepEvaluationFailureDto) },
        ...commonResponses(OfrepEvaluationFailureDto),
      },
    },
  },
  bulk: {
    path: '/ofrep/v1/evaluate/flags',
    operation: {
      ...COMMON,
      summary: 'Evaluate every flag (OFREP bulk)',
      operationId: 'evaluateFlagsBulk',
      parameters: [
        SOURCE_HEADER,
        {
          name: 'If-None-Match',
          in: 'header',
          required: false,
          description: 'ETag of a previous answer: 304 when unchanged',
          schema: { type: 'string' },
        },
      ],
      responses: {
        '200': {
          description: '',
          headers: { ETag: { description: 'revision + hash of the answer', schema: { type: 'string' } } },
          ...schema(OfrepBulkSuccessDto),
        },
        '304': { description: 'Not modified (If-None-Match matched)' },
        '400': { description: 'INVALID_CONTEXT, unknown source', ...schema(OfrepBulkFailureDto) },
        ...commonResponses(OfrepBulkFailureDto),
      },
    },
  },
};

/** The models the OFREP operations refer to, for SwaggerModule's `extraModels`. */
export const OFREP_MODELS = [
  OfrepEvaluationRequestDto,
  OfrepEvaluationSuccessDto,
  OfrepEvaluationFailureDto,
  OfrepBulkSuccessDto,
  OfrepBulkFailureDto,
  OfrepGeneralErrorDto,
];

/** Adds the OFREP operations to a document built from the Nest routes. */
export function withOfrepRoutes(document: OpenAPIObject): OpenAPIObject {
  for (const route of Object.values(OFREP_ROUTES))
    document.paths[route.path] = { ...document.paths[route.path], post: route.operation };
  return document;
}
