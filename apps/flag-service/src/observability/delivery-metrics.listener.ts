import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { type DeliveryAttempt, DeliveryEvent } from '@flagfleet/change-delivery';
import { ServiceMetrics } from './service-metrics';

/** Counts every webhook attempt change delivery reports. */
@Injectable()
export class DeliveryMetricsListener {
  constructor(private readonly metrics: ServiceMetrics) {}

  @OnEvent(DeliveryEvent.ATTEMPTED)
  attempted(attempt: DeliveryAttempt): void {
    this.metrics.countDelivery(attempt.outcome);
  }
}
