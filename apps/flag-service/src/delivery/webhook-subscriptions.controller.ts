import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  CHANGE_DELIVERY,
  type ChangeDelivery,
  type DeliveryAttempt,
  type SubscriptionWithSecret,
  type WebhookSubscription,
} from '@flagfleet/change-delivery';
import { RequiresKey } from '../auth';
import { jsonBody, problemBody, schemaRef } from '../http/openapi-schemas';

const notFound = problemBody();
const input = { schema: schemaRef('WebhookSubscriptionInput') };
const invalid = {
  status: 400,
  description:
    'FLAGFLEET_WEBHOOK_SUBSCRIPTION_INVALID, FLAGFLEET_WEBHOOK_TARGET_REFUSED, or a body that is not JSON',
  ...problemBody(),
};
const secretKeyMissing = {
  status: 503,
  description: 'FLAGFLEET_WEBHOOK_SECRET_KEY_MISSING (a fleet on Redis without WEBHOOK_SECRET_KEY)',
  ...problemBody(),
};

@ApiTags('Webhooks')
@ApiSecurity('ApiKeyAuth')
@ApiSecurity('BearerAuth')
@Controller('admin/webhooks/subscriptions')
@RequiresKey('admin')
export class WebhookSubscriptionsController {
  constructor(@Inject(CHANGE_DELIVERY) private readonly delivery: ChangeDelivery) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a URL; the answer shows the secret (whsec_…) once' })
  @ApiBody(input)
  @ApiResponse({ status: 201, description: '', ...jsonBody('SubscriptionWithSecret') })
  @ApiResponse(invalid)
  @ApiResponse({ status: 409, description: 'FLAGFLEET_WEBHOOK_SUBSCRIPTION_LIMIT', ...problemBody() })
  @ApiResponse(secretKeyMissing)
  create(@Body() body: unknown): Promise<SubscriptionWithSecret> {
    return this.delivery.subscriptions.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List subscriptions (never with secrets)' })
  @ApiResponse({ status: 200, description: '', ...jsonBody('WebhookSubscription', true) })
  list(): Promise<WebhookSubscription[]> {
    return this.delivery.subscriptions.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription (never with its secret)' })
  @ApiResponse({ status: 200, description: '', ...jsonBody('WebhookSubscription') })
  @ApiResponse({ status: 404, description: 'FLAGFLEET_WEBHOOK_SUBSCRIPTION_NOT_FOUND', ...notFound })
  get(@Param('id') id: string): Promise<WebhookSubscription> {
    return this.delivery.subscriptions.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change url, description, enabled, sources or flagKeys' })
  @ApiBody(input)
  @ApiResponse({ status: 200, description: '', ...jsonBody('WebhookSubscription') })
  @ApiResponse(invalid)
  @ApiResponse({ status: 404, description: 'FLAGFLEET_WEBHOOK_SUBSCRIPTION_NOT_FOUND', ...notFound })
  update(@Param('id') id: string, @Body() body: unknown): Promise<WebhookSubscription> {
    return this.delivery.subscriptions.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a subscription; its queued deliveries are dropped' })
  @ApiResponse({ status: 204, description: 'Deleted (no body)' })
  @ApiResponse({ status: 404, description: 'FLAGFLEET_WEBHOOK_SUBSCRIPTION_NOT_FOUND', ...notFound })
  async remove(@Param('id') id: string): Promise<void> {
    await this.delivery.subscriptions.delete(id);
  }

  @Post(':id/rotate-secret')
  @ApiOperation({ summary: 'New secret (shown once); the old one keeps signing for 24 h' })
  @ApiResponse({ status: 201, description: '', ...jsonBody('SubscriptionWithSecret') })
  @ApiResponse({ status: 404, description: 'FLAGFLEET_WEBHOOK_SUBSCRIPTION_NOT_FOUND', ...notFound })
  @ApiResponse(secretKeyMissing)
  rotateSecret(@Param('id') id: string): Promise<SubscriptionWithSecret> {
    return this.delivery.subscriptions.rotateSecret(id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a signed webhook.ping now and answer how it went' })
  @ApiResponse({ status: 200, description: 'The attempt, delivered or not', ...jsonBody('DeliveryAttempt') })
  @ApiResponse({ status: 404, description: 'FLAGFLEET_WEBHOOK_SUBSCRIPTION_NOT_FOUND', ...notFound })
  test(@Param('id') id: string): Promise<DeliveryAttempt> {
    return this.delivery.deliveries.ping(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The last attempts (status, latency, error), newest first' })
  @ApiResponse({ status: 200, description: '', ...jsonBody('DeliveryAttempt', true) })
  @ApiResponse({ status: 404, description: 'FLAGFLEET_WEBHOOK_SUBSCRIPTION_NOT_FOUND', ...notFound })
  deliveries(@Param('id') id: string, @Query('limit') limit?: string): Promise<DeliveryAttempt[]> {
    const n = Number(limit);
    return this.delivery.deliveries.log(id, Number.isInteger(n) && n > 0 ? n : undefined);
  }
}
