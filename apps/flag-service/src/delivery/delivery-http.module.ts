import { Module } from '@nestjs/common';
import { EventStreamController } from './event-stream.controller';
import { EventStreamLinks } from './event-stream-links';
import { FlagsChangedListener } from './flags-changed.listener';
import { WebhookDeadLettersController } from './webhook-dead-letters.controller';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';

/**
 * The HTTP side of change delivery (ChangeDeliveryModule): webhooks admin API, the SSE stream and the
 * `flags.changed` listener. Exports EventStreamLinks for the OFREP bulk answer's `eventStreams`.
 */
@Module({
  controllers: [WebhookSubscriptionsController, WebhookDeadLettersController, EventStreamController],
  providers: [FlagsChangedListener, EventStreamLinks],
  exports: [EventStreamLinks],
})
export class DeliveryHttpModule {}
