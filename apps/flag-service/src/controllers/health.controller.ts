import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Readiness } from '../services/readiness.service';

@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: Readiness,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (200)' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.check('process').up({ pid: process.pid })]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: 200 once every source has a snapshot, 503 before and while shutting down',
  })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => {
        const state = this.readiness.state();
        const session = this.indicators.check('snapshots');
        const data = { draining: state.draining, waitingFor: state.waitingFor };
        return state.ready ? session.up(data) : session.down(data);
      },
    ]);
  }
}
