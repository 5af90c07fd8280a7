import type { DeliveryJob } from '../queue/delivery-job';

/** Every outcome an attempt can have (the delivery log shows them; metrics label them). */
export const ATTEMPT_OUTCOMES = [
  'delivered',
  'failed',
  'retrying',
  'dead-lettered',
  'gone',
  'refused',
  'skipped',
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** One attempt, as the per-subscription delivery log shows it. */
export interface DeliveryAttempt {
  readonly deliveryId: string;
  readonly subscriptionId: string;
  readonly type: string;
  readonly source: string | null;
  readonly revision: number | null;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly at: string;
  /** HTTP status; null for a network error, timeout or refused target. */
  readonly status: number | null;
  readonly latencyMs: number;
  readonly outcome: AttemptOutcome;
  readonly error: string | null;
  readonly nextAttemptAt: string | null;
}

/** A delivery given up on; replay re-enqueues it with the same webhook-id. */
export interface DeadLetter {
  readonly job: DeliveryJob;
  readonly attempts: number;
  readonly deadAt: string;
  readonly reason: string;
}

/** The Nest token of the records: the last N attempts per subscription and the dead-letter list. */
export abstract class DeliveryRecords {
  abstract recordAttempt(attempt: DeliveryAttempt): Promise<void>;
  abstract recentAttempts(subscriptionId: string, limit?: number): Promise<DeliveryAttempt[]>;
  abstract addDeadLetter(letter: DeadLetter): Promise<void>;
  /** Newest first. */
  abstract listDeadLetters(): Promise<DeadLetter[]>;
  /** Removes and returns it (null when unknown): a replay takes it off the list. */
  abstract takeDeadLetter(deliveryId: string): Promise<DeadLetter | null>;
}

export const DEFAULT_LOG_LENGTH = 50;
export const MAX_DEAD_LETTERS = 1000;
