export { ChangeDeliveryModule, CHANGE_DELIVERY } from './change-delivery.module';
export type { ChangeDelivery } from './change-delivery';
// A backend other than memory and Redis provides these four (ChangeDeliveryModule.forRoot's `backend`).
export { DeliveryBackend } from './backend/delivery-backend';
export type { DeliveryStorage } from './backend/delivery-backend';
export { storageProviders } from './backend/storage-providers';
export { DeliveryQueue } from './queue/delivery-queue';
export type { DeliveryHandler, DeliveryJob, DeliveryVerdict, QueuedDelivery } from './queue/delivery-job';
export { DeliveryRecords } from './records/delivery-records';
export { SubscriptionRepository } from './subscriptions/subscription-repository';
export type { StoredSubscription, SealedSecret } from './subscriptions/subscription';
export type { ChangeDeliveryOptions, DeliveryRedisOptions } from './delivery-options';
export { DeliveryEvent } from './delivery-events';
export type { FlagChange, FlagDefinitions } from './change-notifier';
export { inlineDefinitions, MAX_INLINE_FLAGS_BYTES } from './webhook-payload';
export { ChangeDeliveryError } from './errors';
export { DEFAULT_RETRY_SCHEDULE_MS } from './retry/retry-schedule';
export { type ChangeEvent, changeEvent, eventId, type ServedState, sseFrame } from './sse-frame';
export { streamChanges, type SseStreamOptions } from './sse-stream';
export type { WebhookSubscription } from './subscriptions/subscription';
export {
  SUBSCRIPTION_INPUT_SCHEMA,
  type SubscriptionWithSecret,
} from './subscriptions/webhook-subscriptions';
export { ATTEMPT_OUTCOMES } from './records/delivery-records';
export type { AttemptOutcome, DeliveryAttempt, DeadLetter } from './records/delivery-records';
