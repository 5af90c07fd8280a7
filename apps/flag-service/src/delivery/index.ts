export { DeliveryHttpModule } from './delivery-http.module';
export { EventStreamLinks } from './event-stream-links';
