import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import {
  ApiHeader,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequiresKey } from '../auth';
import { AgentConfigurationService } from '../services/agent-configuration.service';
import { sendAnswer } from '../http/send-answer';
import { textBody } from '../http/openapi-schemas';

@ApiTags('AppConfig Agent compatible')
@ApiSecurity('ApiKeyAuth')
@ApiSecurity('BearerAuth')
@Controller('applications')
@RequiresKey('evaluation')
export class AgentController {
  constructor(private readonly agent: AgentConfigurationService) {}

  @Get(':application/environments/:environment/configurations/:profile')
  @ApiOperation({
    summary: 'Configuration as the AWS AppConfig Agent serves it',
    description:
      'Freeform profiles: the raw bytes. Flag documents: the evaluated map — AppConfig basic flags `{key: {enabled, ...attributes}}`, ' +
      'multi-variant flags `{key: {_variant, enabled, ...attributeValues}}` (attributes only when the variant is enabled), ' +
      'flagd format `{key: value}`. One `flag` parameter answers that flag alone.',
  })
  @ApiProduces('application/json', 'application/octet-stream')
  @ApiQuery({
    name: 'flag',
    required: false,
    isArray: true,
    type: String,
    description: 'repeatable flag filter',
  })
  @ApiHeader({
    name: 'Context',
    required: false,
    description: '`key=value` pairs, repeated or comma-separated',
  })
  @ApiHeader({
    name: 'Entity-Id',
    required: false,
    description:
      "accepted (at most 2048 bytes) for code written for the agent's entity-based gradual deployments; the fleet serves its one polled version to every entity",
  })
  @ApiResponse({
    status: 200,
    description: 'Configuration-Version header = version label',
    content: {
      'application/json': { schema: { type: 'object', additionalProperties: true } },
      'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiResponse({
    status: 400,
    description: 'bad Context header, Entity-Id over 2048 bytes, or flag filter on a freeform profile',
    ...textBody('text/plain'),
  })
  @ApiResponse({ status: 404, description: 'unknown configuration or flag', ...textBody('text/plain') })
  @ApiResponse({ status: 503, description: 'not loaded yet', ...textBody('text/plain') })
  configuration(
    @Param('application') application: string,
    @Param('environment') environment: string,
    @Param('profile') profile: string,
    @Query('flag') flag: string | string[] | undefined,
    @Headers('context') context: string | undefined,
    @Headers('entity-id') entityId: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    sendAnswer(
      reply,
      this.agent.configuration(`${application}/${environment}/${profile}`, flag, context, entityId),
    );
  }
}
