/** A webhook subscription as the admin API shows it (never with its secret). */
export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  readonly description: string;
  readonly enabled: boolean;
  /** Only changes of these sources (empty: every source). */
  readonly sources: readonly string[];
  /** Only changes touching one of these flag keys (empty: every change). */
  readonly flagKeys: readonly string[];
  /** Why delivery stopped, e.g. the receiver answered 410 Gone; null while enabled. */
  readonly disabledReason: string | null;
  /** Recognisable tail of the current secret, e.g. `whsec_…Ab9=`. */
  readonly secretHint: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A secret encrypted at rest; a rotated-out secret keeps signing until `expiresAt` (epoch ms). */
export interface SealedSecret {
  readonly sealed: string;
  readonly expiresAt: number | null;
}

/** What repositories persist: the subscription plus its sealed secrets, current one first. */
export interface StoredSubscription extends WebhookSubscription {
  readonly secrets: readonly SealedSecret[];
}

export function publicView(stored: StoredSubscription): WebhookSubscription {
  const { secrets: _secrets, ...subscription } = stored;
  return subscription;
}
