import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  CHANGE_DELIVERY,
  type ChangeDelivery,
  type DeliveryAttempt,
  type SubscriptionWithSecret,
  type WebhookSubscription,
} from '@flagfleet/change-delivery';
import { RequiresKey } from '../auth';

@ApiTags('Webhooks')
@ApiSecurity('ApiKeyAuth')
@ApiSecurity('BearerAuth')
@ApiResponse({ status: 401, description: 'Admin key missing' })
@ApiResponse({ status: 403, description: 'Admin key wrong' })
@Controller('admin/webhooks/subscriptions')
@RequiresKey('admin')
export class WebhookSubscriptionsController {
  constructor(@Inject(CHANGE_DELIVERY) private readonly delivery: ChangeDelivery) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a URL; the answer shows the secret (whsec_…) once' })
  @ApiResponse({ status: 201, description: '{subscription, secret}' })
  @ApiResponse({
    status: 400,
    description: 'FLAGFLEET_WEBHOOK_SUBSCRIPTION_INVALID, FLAGFLEET_WEBHOOK_TARGET_REFUSED',
  })
  create(@Body() body: unknown): Promise<SubscriptionWithSecret> {
    return this.delivery.subscriptions.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List subscriptions (never with secrets)' })
  list(): Promise<WebhookSubscription[]> {
    return this.delivery.subscriptions.list();
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<WebhookSubscription> {
    return this.delivery.subscriptions.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change url, description, enabled, sources or flagKeys' })
  update(@Param('id') id: string, @Body() body: unknown): Promise<WebhookSubscription> {
    return this.delivery.subscriptions.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.delivery.subscriptions.delete(id);
  }

  @Post(':id/rotate-secret')
  @ApiOperation({ summary: 'New secret (shown once); the old one keeps signing for 24 h' })
  rotateSecret(@Param('id') id: string): Promise<SubscriptionWithSecret> {
    return this.delivery.subscriptions.rotateSecret(id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a signed webhook.ping now and answer how it went' })
  test(@Param('id') id: string): Promise<DeliveryAttempt> {
    return this.delivery.deliveries.ping(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The last attempts (status, latency, error), newest first' })
  deliveries(@Param('id') id: string, @Query('limit') limit?: string): Promise<DeliveryAttempt[]> {
    const n = Number(limit);
    return this.delivery.deliveries.log(id, Number.isInteger(n) && n > 0 ? n : undefined);
  }
}
