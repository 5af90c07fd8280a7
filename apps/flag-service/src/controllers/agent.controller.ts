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
      'Freeform profiles: the raw bytes. Flag documents: the evaluated map — AppConfig format `{key: {enabled, ...attributes}}`, ' +
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
  @ApiResponse({ status: 200, description: 'ConfigurationVersion header = version label' })
  @ApiResponse({ status: 400, description: 'bad Context header, or flag filter on a freeform profile' })
  @ApiResponse({ status: 404, description: 'unknown configuration or flag' })
  @ApiResponse({ status: 503, description: 'not loaded yet' })
  configuration(
    @Param('application') application: string,
    @Param('environment') environment: string,
    @Param('profile') profile: string,
    @Query('flag') flag: string | string[] | undefined,
    @Headers('context') context: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    sendAnswer(reply, this.agent.configuration(`${application}/${environment}/${profile}`, flag, context));
  }
}
