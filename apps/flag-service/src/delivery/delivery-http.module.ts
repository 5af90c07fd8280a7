import { Module } from '@nestjs/common';
import {
  ChangeDeliveryLifecycle,
  changeDeliveryProvider,
  deliveryConfigProvider,
} from './change-delivery.provider';
import { EventStreamController } from './event-stream.controller';
import { EventStreamLinks } from './event-stream-links';
import { FlagsChangedListener } from './flags-changed.listener';
import { WebhookDeadLettersController } from './webhook-dead-letters.controller';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';

/**
 * Webhooks admin API, the SSE stream and the `flags.changed` listener. Exports EventStreamLinks for
 * the OFREP bulk answer's `eventStreams`.
 */
@Module({
  controllers: [WebhookSubscriptionsController, WebhookDeadLettersController, EventStreamController],
  providers: [
    deliveryConfigProvider,
    changeDeliveryProvider,
    ChangeDeliveryLifecycle,
    FlagsChangedListener,
    EventStreamLinks,
  ],
  exports: [EventStreamLinks],
})
export class DeliveryHttpModule {}
