/** Events change delivery emits on the app's EventEmitter2 (payload: DeliveryAttempt). */
export const DeliveryEvent = {
  /** After every webhook attempt, whatever its outcome (metrics count them). */
  ATTEMPTED: 'webhook.attempted',
} as const;
