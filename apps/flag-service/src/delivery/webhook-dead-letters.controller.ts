import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type ChangeDelivery, type DeadLetter, CHANGE_DELIVERY } from '@flagfleet/change-delivery';
import { RequiresKey } from '../auth';
import { jsonBody, problemBody } from '../http/openapi-schemas';

@ApiTags('Webhooks')
@ApiSecurity('ApiKeyAuth')
@ApiSecurity('BearerAuth')
@Controller('admin/webhooks/dead-letters')
@RequiresKey('admin')
export class WebhookDeadLettersController {
  constructor(@Inject(CHANGE_DELIVERY) private readonly delivery: ChangeDelivery) {}

  @Get()
  @ApiOperation({ summary: 'Deliveries given up on, newest first' })
  @ApiResponse({ status: 200, description: '', ...jsonBody('DeadLetter', true) })
  list(): Promise<DeadLetter[]> {
    return this.delivery.deliveries.deadLetters();
  }

  @Post(':deliveryId/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a dead-lettered delivery again (same webhook-id)' })
  @ApiResponse({ status: 202, description: 'Queued; the letter as it was', ...jsonBody('DeadLetter') })
  @ApiResponse({
    status: 404,
    description: 'FLAGFLEET_WEBHOOK_DEAD_LETTER_NOT_FOUND, or its subscription is gone (the letter is kept)',
    ...problemBody(),
  })
  replay(@Param('deliveryId') deliveryId: string): Promise<DeadLetter> {
    return this.delivery.deliveries.replay(deliveryId);
  }
}
