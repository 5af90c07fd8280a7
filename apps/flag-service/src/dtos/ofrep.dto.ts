import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Documentation shapes of the OFREP endpoints (the contract: ../shared/conformance/ofrep/openapi.yaml). */
export class OfrepEvaluationRequestDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Evaluation context; `targetingKey` is an ordinary (optional) property.',
    example: { targetingKey: 'user-123', email: 'ada@example.com', appVersion: '2.3.0' },
  })
  context?: Record<string, unknown>;
}

export class OfrepEvaluationSuccessDto {
  @ApiProperty({ example: 'new-checkout' }) key!: string;
  @ApiPropertyOptional({
    description: 'Absent for DISABLED flags and code defaults: use the code default.',
    // Any JSON value: the variants' type (boolean, string, number, object).
    oneOf: [{ type: 'boolean' }, { type: 'string' }, { type: 'number' }, { type: 'object' }],
    example: true,
  })
  value?: unknown;
  @ApiProperty({ enum: ['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DISABLED', 'DEFAULT', 'UNKNOWN'] })
  reason!: string;
  @ApiPropertyOptional({ example: 'on' }) variant?: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<
    string,
    string | number | boolean
  >;
}

export class OfrepEvaluationFailureDto {
  @ApiProperty({ example: 'new-checkout' }) key!: string;
  @ApiProperty({
    enum: [
      'FLAG_NOT_FOUND',
      'PARSE_ERROR',
      'TARGETING_KEY_MISSING',
      'INVALID_CONTEXT',
      'GENERAL',
      'TYPE_MISMATCH',
    ],
  })
  errorCode!: string;
  @ApiPropertyOptional() errorDetails?: string;
}

export class OfrepBulkFailureDto {
  @ApiProperty({ enum: ['INVALID_CONTEXT', 'PARSE_ERROR', 'GENERAL'] }) errorCode!: string;
  @ApiPropertyOptional() errorDetails?: string;
}

export class OfrepBulkSuccessDto {
  @ApiProperty({
    type: 'array',
    items: {
      anyOf: [
        { $ref: '#/components/schemas/OfrepEvaluationSuccessDto' },
        { $ref: '#/components/schemas/OfrepEvaluationFailureDto' },
      ],
    },
    description: 'Successes and per-flag failures.',
  })
  flags!: Array<OfrepEvaluationSuccessDto | OfrepEvaluationFailureDto>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { source: 'local/local/flags', revision: 3, version: '3' },
  })
  metadata?: Record<string, string | number>;
  @ApiPropertyOptional({
    type: 'array',
    description: 'OFREP ADR-0008: where to listen for changes (SSE) instead of polling',
    items: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { type: 'string', enum: ['sse'] },
        url: { type: 'string' },
        endpoint: { type: 'object', properties: { requestUri: { type: 'string' } } },
        inactivityDelaySec: { type: 'integer' },
      },
    },
  })
  eventStreams?: unknown[];
}

/** The contract's generalErrorResponse (500): no detail of the failure is given away. */
export class OfrepGeneralErrorDto {
  @ApiPropertyOptional({ example: 'internal error' }) errorDetails?: string;
}
