import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ATTEMPT_OUTCOMES, SUBSCRIPTION_INPUT_SCHEMA } from '@flagfleet/change-delivery';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

/**
 * The component schemas of `/docs-json` for what the Nest routes answer (OFREP's are its DTOs). Shapes
 * that are fixed say `additionalProperties: false`, so that a field added to an answer without its
 * schema fails the document's test (apps/flag-service/test/openapi-coverage.spec.ts) instead of drifting.
 */
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const closed = (
  properties: Record<string, SchemaObject | ReferenceObject>,
  required = Object.keys(properties),
): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const string: SchemaObject = { type: 'string' };
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const integer: SchemaObject = { type: 'integer' };

const WEBHOOK_SUBSCRIPTION = closed({
  id: string,
  url: { type: 'string', format: 'uri' },
  description: string,
  enabled: { type: 'boolean' },
  sources: { type: 'array', items: string, description: 'only these sources (empty: every source)' },
  flagKeys: {
    type: 'array',
    items: string,
    description: 'only changes touching these flags (empty: every change)',
  },
  disabledReason: nullable({
    ...string,
    description: 'why delivery stopped, e.g. the receiver answered 410',
  }),
  secretHint: { ...string, description: 'recognisable tail of the current secret, e.g. `whsec_…Ab9=`' },
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const OPENAPI_SCHEMAS = {
  /** The error body of every non-protocol route: RFC 9457 problem details (problem-details.ts). */
  ProblemDetails: closed(
    {
      type: { type: 'string', enum: ['about:blank'] },
      title: { ...string, description: 'the status text' },
      status: integer,
      detail: { ...string, description: 'what is wrong' },
      code: { ...string, description: 'FLAGFLEET_… of a coded error (docs/errors.md)' },
    },
    ['type', 'title', 'status', 'detail'],
  ),
  /** The subscription body POST and PATCH read: the validator's own schema (change-delivery). */
  WebhookSubscriptionInput: SUBSCRIPTION_INPUT_SCHEMA as SchemaObject,
  WebhookSubscription: WEBHOOK_SUBSCRIPTION,
  SubscriptionWithSecret: closed({
    subscription: { $ref: '#/components/schemas/WebhookSubscription' },
    secret: { ...string, pattern: '^whsec_', description: 'shown once' },
  }),
  DeliveryAttempt: closed({
    deliveryId: string,
    subscriptionId: string,
    type: { ...string, description: '`flags.changed`, `webhook.ping`, …' },
    source: nullable(string),
    revision: nullable(integer),
    attempt: { type: 'integer', minimum: 1 },
    at: dateTime,
    status: nullable({ ...integer, description: 'HTTP status; null when no answer arrived' }),
    latencyMs: integer,
    outcome: { type: 'string', enum: [...ATTEMPT_OUTCOMES] },
    error: nullable(string),
    nextAttemptAt: nullable(dateTime),
  }),
  DeadLetter: closed({
    job: closed({
      id: { ...string, description: 'the webhook-id, kept on replay' },
      subscriptionId: string,
      type: string,
      source: nullable(string),
      revision: nullable(integer),
      body: { ...string, description: 'the exact JSON body signed and sent' },
      dedupeKey: string,
      createdAt: { ...integer, description: 'epoch ms' },
      attempts: { ...integer, description: 'attempts made before it was given up on' },
    }),
    attempts: integer,
    deadAt: dateTime,
    reason: string,
  }),
  ServiceStatus: {
    type: 'object',
    required: ['replicaId', 'ready', 'health', 'uptimeSeconds', 'mode', 'store', 'sources'],
    properties: {
      replicaId: string,
      ready: { type: 'boolean' },
      health: { type: 'string', enum: ['ok', 'degraded'] },
      uptimeSeconds: { type: 'number' },
      mode: { type: 'string', enum: ['embedded', 'appconfig'] },
      store: {
        type: 'object',
        required: ['kind', 'connected'],
        properties: {
          kind: { type: 'string', enum: ['memory', 'redis'] },
          connected: { type: 'boolean' },
          failingSince: dateTime,
          detail: string,
        },
      },
      sources: {
        type: 'array',
        items: {
          type: 'object',
          required: ['source', 'healthy', 'stale', 'snapshotLoaded', 'revision', 'lastError'],
          properties: {
            source: { ...string, description: 'application/environment/profile' },
            healthy: { type: 'boolean' },
            stale: { type: 'boolean' },
            snapshotLoaded: { type: 'boolean' },
            revision: nullable(integer),
            versionLabel: nullable(string),
            lastError: nullable(closed({ name: string, message: string, at: dateTime })),
            leaseHolder: nullable(string),
          },
        },
      },
    },
  },
  /** What Fastify answers while the service closes (return503OnClosing); OFREP's handler answers the same. */
  ServiceUnavailable: closed({
    statusCode: { type: 'integer', enum: [503] },
    error: string,
    message: string,
  }),
} satisfies Record<string, SchemaObject>;

export type OpenApiSchemaName = keyof typeof OPENAPI_SCHEMAS;

/** `{ $ref }` to one of OPENAPI_SCHEMAS. */
export const schemaRef = (name: OpenApiSchemaName): { $ref: string } => ({
  $ref: `#/components/schemas/${name}`,
});

/** An `@ApiResponse` body of JSON in one of OPENAPI_SCHEMAS (an array of them with `array`). */
export function jsonBody(
  name: OpenApiSchemaName,
  array = false,
): { content: { 'application/json': { schema: SchemaObject | { $ref: string } } } } {
  const ref = schemaRef(name);
  return { content: { 'application/json': { schema: array ? { type: 'array', items: ref } : ref } } };
}

/** An `@ApiResponse` body of problem details, the error body of every non-protocol route. */
export const problemBody = (): { content: Record<string, { schema: { $ref: string } }> } => ({
  content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef('ProblemDetails') } },
});

/** An `@ApiResponse` body of `type` text. */
export const textBody = (type: string): { content: Record<string, { schema: SchemaObject }> } => ({
  content: { [type]: { schema: { type: 'string' } } },
});
