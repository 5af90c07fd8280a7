export { DeliveryHttpModule } from './delivery-http.module';
export { EventStreamLinks, EVENT_STREAM_PATH, type OfrepEventStream } from './event-stream-links';
export { CHANGE_DELIVERY } from './change-delivery.provider';
