import type { Clock } from '@flagfleet/core';
import { randomUUID } from 'node:crypto';
import Ajv, { type JSONSchemaType } from 'ajv';
import {
  WebhookSecretKeyMissingError,
  WebhookSecretUnreadableError,
  WebhookSubscriptionInvalidError,
  WebhookSubscriptionLimitError,
  WebhookSubscriptionNotFoundError,
} from '../errors';
import { generateWebhookSecret, maskWebhookSecret } from '../signing/webhook-secret';
import { type TargetPolicy, validateTarget } from '../targets/target-policy';
import type { FlagChange } from '../change-notifier';
import type { SecretCipher } from './secret-cipher';
import { publicView, type StoredSubscription, type WebhookSubscription } from './subscription';
import type { SubscriptionRepository } from './subscription-repository';

export interface SubscriptionInput {
  url?: string;
  description?: string;
  enabled?: boolean;
  sources?: string[];
  flagKeys?: string[];
}

const stringList = (maxItems: number) =>
  ({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 256 },
    maxItems,
    nullable: true,
  }) as const;

/** What POST and PATCH of a subscription accept (also the OpenAPI document's request body). */
export const SUBSCRIPTION_INPUT_SCHEMA: JSONSchemaType<SubscriptionInput> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    url: { type: 'string', minLength: 1, maxLength: 2048, nullable: true },
    description: { type: 'string', maxLength: 500, nullable: true },
    enabled: { type: 'boolean', nullable: true },
    sources: stringList(100),
    flagKeys: stringList(500),
  },
};
const validateInput = new Ajv({ allErrors: true }).compile(SUBSCRIPTION_INPUT_SCHEMA);

function parseInput(body: unknown, requireUrl: boolean): SubscriptionInput {
  if (!validateInput(body)) {
    const detail = (validateInput.errors ?? [])
      .map((e) => `${e.instancePath || 'body'} ${e.message ?? 'is invalid'}`)
      .join('; ');
    throw new WebhookSubscriptionInvalidError(detail);
  }
  if (requireUrl && !body.url) throw new WebhookSubscriptionInvalidError('url is required');
  return body;
}

/** A subscription with the secret shown exactly once (create, rotate). */
export interface SubscriptionWithSecret {
  readonly subscription: WebhookSubscription;
  readonly secret: string;
}

/** WEBHOOK_MAX_SUBSCRIPTIONS unless set. */
export const DEFAULT_MAX_SUBSCRIPTIONS = 1000;

/** How long a rotated-out secret keeps signing alongside the new one. */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

/** Subscription use cases: validation, secrets sealed at rest, filters. */
export class WebhookSubscriptions {
  constructor(
    private readonly repository: SubscriptionRepository,
    /** null: a fleet without WEBHOOK_SECRET_KEY, which cannot store secrets. */
    private readonly cipher: SecretCipher | null,
    private readonly policy: TargetPolicy,
    private readonly clock: Clock,
    /** WEBHOOK_MAX_SUBSCRIPTIONS: every change is matched against every subscription, so their number is bounded. */
    private readonly limit: number = DEFAULT_MAX_SUBSCRIPTIONS,
  ) {}

  async create(body: unknown): Promise<SubscriptionWithSecret> {
    const input = parseInput(body, true);
    const url = (await validateTarget(input.url ?? '', this.policy)).toString();
    const cipher = this.requireCipher();
    const id = `sub_${randomUUID().replace(/-/g, '')}`;
    const secret = generateWebhookSecret();
    const now = new Date(this.clock.now()).toISOString();
    const stored: StoredSubscription = {
      id,
      url,
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      sources: input.sources ?? [],
      flagKeys: input.flagKeys ?? [],
      disabledReason: null,
      secretHint: maskWebhookSecret(secret),
      createdAt: now,
      updatedAt: now,
      secrets: [{ sealed: cipher.seal(secret, id), expiresAt: null }],
    };
    if (!(await this.repository.insert(stored, this.limit)))
      throw new WebhookSubscriptionLimitError(this.limit);
    return { subscription: publicView(stored), secret };
  }

  async list(): Promise<WebhookSubscription[]> {
    const all = await this.repository.list();
    return all
      .map(publicView)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<WebhookSubscription> {
    return publicView(await this.stored(id));
  }

  async update(id: string, body: unknown): Promise<WebhookSubscription> {
    const input = parseInput(body, false);
    const current = await this.stored(id);
    const url =
      input.url === undefined ? current.url : (await validateTarget(input.url, this.policy)).toString();
    const enabled = input.enabled ?? current.enabled;
    const next: StoredSubscription = {
      ...current,
      url,
      description: input.description ?? current.description,
      enabled,
      sources: input.sources ?? current.sources,
      flagKeys: input.flagKeys ?? current.flagKeys,
      disabledReason: enabled ? null : current.disabledReason,
      updatedAt: new Date(this.clock.now()).toISOString(),
    };
    await this.repository.save(next);
    return publicView(next);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repository.delete(id))) throw new WebhookSubscriptionNotFoundError(id);
  }

  /** New current secret; the previous one keeps signing for ROTATION_GRACE_MS. */
  async rotateSecret(id: string): Promise<SubscriptionWithSecret> {
    const cipher = this.requireCipher();
    const current = await this.stored(id);
    const now = this.clock.now();
    const secret = generateWebhookSecret();
    const kept = current.secrets
      .map((s) => (s.expiresAt === null ? { ...s, expiresAt: now + ROTATION_GRACE_MS } : s))
      .filter((s) => s.expiresAt === null || s.expiresAt > now);
    const next: StoredSubscription = {
      ...current,
      secretHint: maskWebhookSecret(secret),
      updatedAt: new Date(now).toISOString(),
      secrets: [{ sealed: cipher.seal(secret, id), expiresAt: null }, ...kept],
    };
    await this.repository.save(next);
    return { subscription: publicView(next), secret };
  }

  /** Plain secrets that sign a delivery now, current first. */
  async signingSecrets(id: string): Promise<string[]> {
    return this.secretsOf(await this.stored(id));
  }

  /** signingSecrets() of a record already read (one read per attempt). */
  secretsOf(stored: StoredSubscription): string[] {
    const now = this.clock.now();
    return stored.secrets
      .filter((s) => s.expiresAt === null || s.expiresAt > now)
      .map((s) => {
        const plain = this.cipher?.open(s.sealed, stored.id) ?? null;
        if (plain === null) throw new WebhookSecretUnreadableError(stored.id);
        return plain;
      });
  }

  /** Stops deliveries, e.g. after 410 Gone; re-enabling through update() clears the reason. */
  async disable(id: string, reason: string): Promise<void> {
    const current = await this.repository.get(id);
    if (!current) return;
    await this.repository.save({
      ...current,
      enabled: false,
      disabledReason: reason,
      updatedAt: new Date(this.clock.now()).toISOString(),
    });
  }

  /** Enabled subscriptions whose filters accept the change. */
  async matching(change: FlagChange): Promise<WebhookSubscription[]> {
    const touched = [...change.added, ...change.removed, ...change.changed];
    return (await this.list()).filter(
      (s) =>
        s.enabled &&
        (s.sources.length === 0 || s.sources.includes(change.source)) &&
        (s.flagKeys.length === 0 || touched.some((key) => s.flagKeys.includes(key))),
    );
  }

  /** The stored record, sealed secrets included (for sending); null when unknown. */
  findStored(id: string): Promise<StoredSubscription | null> {
    return this.repository.get(id);
  }

  /** Like findStored(), but WebhookSubscriptionNotFoundError when unknown. */
  async stored(id: string): Promise<StoredSubscription> {
    const stored = await this.repository.get(id);
    if (!stored) throw new WebhookSubscriptionNotFoundError(id);
    return stored;
  }

  private requireCipher(): SecretCipher {
    if (!this.cipher) throw new WebhookSecretKeyMissingError();
    return this.cipher;
  }
}
