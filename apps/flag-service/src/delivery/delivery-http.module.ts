import { type DynamicModule, Module } from '@nestjs/common';
import { ChangeDeliveryModule, type ChangeDeliveryOptions } from '@flagfleet/change-delivery';
import { StreamTokens } from '../auth/stream-tokens';
import { ServiceConfig } from '../config';
import { EventStreamController } from './event-stream.controller';
import { EventStreamLinks } from './event-stream-links';
import { FlagsChangedListener } from './flags-changed.listener';
import { WebhookDeadLettersController } from './webhook-dead-letters.controller';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';

/**
 * The HTTP side of change delivery (ChangeDeliveryModule, imported here): webhooks admin API, the SSE stream and the
 * `flags.changed` listener. Exports EventStreamLinks for the OFREP bulk answer's `eventStreams`, and the
 * StreamTokens its URLs carry (checked by StreamKeyGuard).
 */
@Module({
  controllers: [WebhookSubscriptionsController, WebhookDeadLettersController, EventStreamController],
  providers: [
    FlagsChangedListener,
    EventStreamLinks,
    {
      provide: StreamTokens,
      inject: [ServiceConfig],
      useFactory: (config: ServiceConfig) => new StreamTokens(config.auth.apiKeys),
    },
  ],
  exports: [EventStreamLinks, StreamTokens],
})
export class DeliveryHttpModule {
  /** With the change delivery its routes and listener use (the only users of CHANGE_DELIVERY). */
  static forRoot(options: ChangeDeliveryOptions): DynamicModule {
    return { module: DeliveryHttpModule, imports: [ChangeDeliveryModule.forRoot(options)] };
  }
}
