import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { jsonBody, textBody } from '../http/openapi-schemas';
import { RequiresKey } from '../auth';
import { ServiceStatus, type ServiceStatusView } from '../services/service-status.service';
import { ServiceMetrics } from '../observability/service-metrics';

@ApiTags('Operations')
@Controller()
export class StatusController {
  constructor(
    private readonly status: ServiceStatus,
    private readonly metrics: ServiceMetrics,
  ) {}

  @Get('status')
  @RequiresKey('admin')
  @ApiSecurity('ApiKeyAuth')
  @ApiSecurity('BearerAuth')
  @ApiOperation({
    summary:
      'Per-source revision, version label, last poll, last error, lease holder; store health (admin key)',
  })
  @ApiResponse({ status: 200, description: '', ...jsonBody('ServiceStatus') })
  view(): ServiceStatusView {
    return this.status.view();
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiResponse({ status: 200, description: 'Prometheus text format 0.0.4', ...textBody('text/plain') })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
