import { CodedError, codedError } from '@flagfleet/core';

/** Coded errors of change delivery; every code is listed in docs/errors.md. */
export abstract class ChangeDeliveryError extends CodedError {}

/** The target URL is malformed, not https (unless allowed), or points at a refused address. */
export class WebhookTargetRefusedError extends codedError(
  'FLAGFLEET_WEBHOOK_TARGET_REFUSED',
  400,
  (reason: string) => `webhook target refused: ${reason}`,
  ChangeDeliveryError,
) {}

/** A subscription body failed validation (unknown field, wrong type, bad filter). */
export class WebhookSubscriptionInvalidError extends codedError(
  'FLAGFLEET_WEBHOOK_SUBSCRIPTION_INVALID',
  400,
  (reason: string) => `webhook subscription invalid: ${reason}`,
  ChangeDeliveryError,
) {}

/**
 * WEBHOOK_MAX_SUBSCRIPTIONS are stored already. 409, not 429: the refusal is about the stored state,
 * not a request rate, so retrying later changes nothing until a subscription is deleted.
 */
export class WebhookSubscriptionLimitError extends codedError(
  'FLAGFLEET_WEBHOOK_SUBSCRIPTION_LIMIT',
  409,
  (limit: number) =>
    `webhook subscription limit reached: ${limit} subscriptions exist (WEBHOOK_MAX_SUBSCRIPTIONS); delete one or raise the limit`,
  ChangeDeliveryError,
) {}

export class WebhookSubscriptionNotFoundError extends codedError(
  'FLAGFLEET_WEBHOOK_SUBSCRIPTION_NOT_FOUND',
  404,
  (id: string) => `webhook subscription ${JSON.stringify(id)} not found`,
  ChangeDeliveryError,
) {}

export class DeadLetterNotFoundError extends codedError(
  'FLAGFLEET_WEBHOOK_DEAD_LETTER_NOT_FOUND',
  404,
  (id: string) => `dead-lettered delivery ${JSON.stringify(id)} not found`,
  ChangeDeliveryError,
) {}

/**
 * A fleet (Redis) without WEBHOOK_SECRET_KEY cannot store secrets every replica can read back,
 * so subscriptions cannot be created or rotated until the key is set.
 */
export class WebhookSecretKeyMissingError extends codedError(
  'FLAGFLEET_WEBHOOK_SECRET_KEY_MISSING',
  503,
  'WEBHOOK_SECRET_KEY is not set: webhook secrets cannot be stored for the fleet',
  ChangeDeliveryError,
) {}

/** A stored secret could not be decrypted (WEBHOOK_SECRET_KEY changed, or data tampered with). */
export class WebhookSecretUnreadableError extends codedError(
  'FLAGFLEET_WEBHOOK_SECRET_UNREADABLE',
  500,
  (subscriptionId: string) =>
    `the secret of webhook subscription ${subscriptionId} cannot be decrypted with the current WEBHOOK_SECRET_KEY`,
  ChangeDeliveryError,
) {}
