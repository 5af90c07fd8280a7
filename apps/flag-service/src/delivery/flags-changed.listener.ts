import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { type FlagsChangedEvent, PollerEvent } from '@flagfleet/appconfig-poller';
import { type ChangeDelivery, CHANGE_DELIVERY } from '@flagfleet/change-delivery';
import { toFlagChange } from './to-flag-change';

/** Every replica hears `flags.changed`: SSE clients here are told; webhooks only where publishedHere. */
@Injectable()
export class FlagsChangedListener {
  constructor(@Inject(CHANGE_DELIVERY) private readonly delivery: ChangeDelivery) {}

  @OnEvent(PollerEvent.FLAGS_CHANGED, { async: true, promisify: true, suppressErrors: true })
  async onFlagsChanged(event: FlagsChangedEvent): Promise<void> {
    await this.delivery.notify(toFlagChange(event));
  }
}
