export * from './change-notifier';
export * from './change-delivery';
export * from './delivery-config';
export * from './errors';
export * from './webhook-payload';
export * from './webhook.notifier';
export * from './sse.notifier';
export * from './sse-frame';
export * from './webhook-deliveries';
export * from './webhook-dispatcher';
export { signWebhook, newWebhookId, type WebhookHeaders } from './signing/sign-webhook';
export { generateWebhookSecret, webhookSecretKey } from './signing/webhook-secret';
export { isPublicAddress } from './targets/address-policy';
export { parseTargetUrl, validateTarget, type TargetPolicy } from './targets/target-policy';
export {
  DEFAULT_RETRY_SCHEDULE_MS,
  nextRetryDelay,
  parseRetryAfter,
  parseRetrySchedule,
} from './retry/retry-schedule';
export type { WebhookSubscription } from './subscriptions/subscription';
export { WebhookSubscriptions, type SubscriptionWithSecret } from './subscriptions/webhook-subscriptions';
export type { DeliveryAttempt, DeadLetter, AttemptOutcome } from './records/delivery-records';
export type { DeliveryJob, DeliveryQueue, DeliveryVerdict, QueuedDelivery } from './queue/delivery-job';
export type { RedisConnection } from './redis-connection';
