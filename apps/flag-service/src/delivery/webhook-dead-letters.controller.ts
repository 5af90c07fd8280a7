import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type ChangeDelivery, type DeadLetter, CHANGE_DELIVERY } from '@flagfleet/change-delivery';
import { RequiresKey } from '../auth';

@ApiTags('Webhooks')
@ApiSecurity('ApiKeyAuth')
@ApiSecurity('BearerAuth')
@Controller('admin/webhooks/dead-letters')
@RequiresKey('admin')
export class WebhookDeadLettersController {
  constructor(@Inject(CHANGE_DELIVERY) private readonly delivery: ChangeDelivery) {}

  @Get()
  @ApiOperation({ summary: 'Deliveries given up on, newest first' })
  list(): Promise<DeadLetter[]> {
    return this.delivery.deliveries.deadLetters();
  }

  @Post(':deliveryId/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a dead-lettered delivery again (same webhook-id)' })
  replay(@Param('deliveryId') deliveryId: string): Promise<DeadLetter> {
    return this.delivery.deliveries.replay(deliveryId);
  }
}
