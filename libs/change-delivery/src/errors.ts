import { CodedError } from '@flagfleet/core';

/** Coded errors of change delivery; every code is listed in docs/errors.md. */
export abstract class ChangeDeliveryError extends CodedError {}

/** The target URL is malformed, not https (unless allowed), or points at a refused address. */
export class WebhookTargetRefusedError extends ChangeDeliveryError {
  readonly code = 'FLAGFLEET_WEBHOOK_TARGET_REFUSED';
  readonly status = 400;
  constructor(reason: string) {
    super(`webhook target refused: ${reason}`);
    this.name = 'WebhookTargetRefusedError';
  }
}

/** A subscription body failed validation (unknown field, wrong type, bad filter). */
export class WebhookSubscriptionInvalidError extends ChangeDeliveryError {
  readonly code = 'FLAGFLEET_WEBHOOK_SUBSCRIPTION_INVALID';
  readonly status = 400;
  constructor(reason: string) {
    super(`webhook subscription invalid: ${reason}`);
    this.name = 'WebhookSubscriptionInvalidError';
  }
}

export class WebhookSubscriptionNotFoundError extends ChangeDeliveryError {
  readonly code = 'FLAGFLEET_WEBHOOK_SUBSCRIPTION_NOT_FOUND';
  readonly status = 404;
  constructor(id: string) {
    super(`webhook subscription ${JSON.stringify(id)} not found`);
    this.name = 'WebhookSubscriptionNotFoundError';
  }
}

export class DeadLetterNotFoundError extends ChangeDeliveryError {
  readonly code = 'FLAGFLEET_WEBHOOK_DEAD_LETTER_NOT_FOUND';
  readonly status = 404;
  constructor(id: string) {
    super(`dead-lettered delivery ${JSON.stringify(id)} not found`);
    this.name = 'DeadLetterNotFoundError';
  }
}

/**
 * A fleet (Redis) without WEBHOOK_SECRET_KEY cannot store secrets every replica can read back,
 * so subscriptions cannot be created or rotated until the key is set.
 */
export class WebhookSecretKeyMissingError extends ChangeDeliveryError {
  readonly code = 'FLAGFLEET_WEBHOOK_SECRET_KEY_MISSING';
  readonly status = 503;
  constructor() {
    super('WEBHOOK_SECRET_KEY is not set: webhook secrets cannot be stored for the fleet');
    this.name = 'WebhookSecretKeyMissingError';
  }
}

/** A stored secret could not be decrypted (WEBHOOK_SECRET_KEY changed, or data tampered with). */
export class WebhookSecretUnreadableError extends ChangeDeliveryError {
  readonly code = 'FLAGFLEET_WEBHOOK_SECRET_UNREADABLE';
  readonly status = 500;
  constructor(subscriptionId: string) {
    super(
      `the secret of webhook subscription ${subscriptionId} cannot be decrypted with the current WEBHOOK_SECRET_KEY`,
    );
    this.name = 'WebhookSecretUnreadableError';
  }
}
