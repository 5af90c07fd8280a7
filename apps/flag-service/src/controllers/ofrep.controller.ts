import type { IncomingHttpHeaders } from 'node:http';
import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequiresKey } from '../auth';
import { OfrepEvaluationService } from '../services/ofrep-evaluation.service';
import {
  OfrepBulkFailureDto,
  OfrepBulkSuccessDto,
  OfrepEvaluationFailureDto,
  OfrepEvaluationRequestDto,
  OfrepEvaluationSuccessDto,
} from '../dtos/ofrep.dto';
import { sendAnswer } from '../http/send-answer';

const sourceHeaderDoc = {
  name: 'X-Flagfleet-Source',
  required: false,
  description: 'application/environment/profile to evaluate against; default: the first configured source.',
};

@ApiTags('OFREP')
@ApiSecurity('ApiKeyAuth')
@ApiSecurity('BearerAuth')
@ApiHeader(sourceHeaderDoc)
@ApiResponse({ status: 401, description: 'API key missing (no body)' })
@ApiResponse({ status: 403, description: 'API key wrong (no body)' })
@ApiResponse({ status: 413, description: 'Body larger than BODY_LIMIT_BYTES' })
@ApiResponse({ status: 503, description: 'Flags of the source not loaded yet (Retry-After: 1)' })
@Controller('ofrep/v1/evaluate')
@RequiresKey('evaluation')
export class OfrepController {
  constructor(private readonly ofrep: OfrepEvaluationService) {}

  @Post('flags/:key')
  @ApiOperation({ summary: 'Evaluate one flag (OFREP)', operationId: 'evaluateFlag' })
  @ApiBody({ type: OfrepEvaluationRequestDto })
  @ApiResponse({ status: 200, type: OfrepEvaluationSuccessDto })
  @ApiResponse({
    status: 400,
    type: OfrepEvaluationFailureDto,
    description: 'INVALID_CONTEXT, PARSE_ERROR, GENERAL, unknown source',
  })
  @ApiResponse({ status: 404, type: OfrepEvaluationFailureDto, description: 'FLAG_NOT_FOUND' })
  evaluateFlag(
    @Param('key') key: string,
    @Body() body: unknown,
    @Headers() headers: IncomingHttpHeaders,
    @Res() reply: FastifyReply,
  ): void {
    sendAnswer(reply, this.ofrep.answer(key, body, headers));
  }

  @Post('flags')
  @ApiOperation({ summary: 'Evaluate every flag (OFREP bulk)', operationId: 'evaluateFlagsBulk' })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'ETag of a previous answer: 304 when unchanged',
  })
  @ApiBody({ type: OfrepEvaluationRequestDto })
  @ApiResponse({
    status: 200,
    type: OfrepBulkSuccessDto,
    headers: { ETag: { description: 'revision + hash of the answer', schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched)' })
  @ApiResponse({ status: 400, type: OfrepBulkFailureDto })
  evaluateAll(
    @Body() body: unknown,
    @Headers() headers: IncomingHttpHeaders,
    @Res() reply: FastifyReply,
  ): void {
    sendAnswer(reply, this.ofrep.answer(undefined, body, headers));
  }
}
