import { randomBytes } from 'node:crypto';
import { AwsServiceError } from '../data-plane/aws-service-error';

/** What a token stands for: the session it continues and the version that session has already received. */
export interface SessionPosition {
  readonly app: string;
  readonly env: string;
  readonly profile: string;
  /** The session's RequiredMinimumPollIntervalInSeconds, when it asked for one. */
  readonly requiredMinimumPollIntervalSeconds?: number;
  /** 0 before the first call: the next call returns the content. */
  readonly seenVersion: number;
}

interface TokenRecord {
  readonly position: SessionPosition;
  readonly issuedAt: number;
  /** Epoch ms before which redeeming fails with PollIntervalNotSatisfied (0: no minimum asked). */
  readonly notBefore: number;
  state: 'live' | 'used' | 'expired' | 'corrupted';
}

/** Outstanding tokens kept by default: a session holds one at a time, so this is about as many sessions. */
export const DEFAULT_MAX_TOKENS = 10_000;

/** AWS: a token is valid for at most 24 hours. */
export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * Opaque, unguessable, single-use configuration tokens. Each token carries the session's position, as
 * AWS tokens do, so a new session is simply a token at version 0. Reuse is reported as `Corrupted`
 * (the token no longer denotes a valid position) unless `allowReuse` is set.
 */
export class TokenLedger {
  private readonly tokens = new Map<string, TokenRecord>();
  private lastSweep = 0;

  constructor(
    private readonly clock: () => number,
    private readonly allowReuse: boolean,
    private readonly maxTokens: number = DEFAULT_MAX_TOKENS,
  ) {}

  /** `afterPoll`: the token answers a poll, so it is not redeemable before the session's minimum interval. */
  issue(position: SessionPosition, afterPoll: boolean): string {
    const now = this.clock();
    this.sweep(now);
    const token = randomBytes(48).toString('base64url');
    const minimum = position.requiredMinimumPollIntervalSeconds;
    const notBefore = afterPoll && minimum ? now + minimum * 1000 : 0;
    this.tokens.set(token, { position, issuedAt: now, notBefore, state: 'live' });
    // Sessions cost memory whoever starts them: past the bound the oldest token is forgotten (Map keeps
    // insertion order), and its holder, answered as for an invalid token, starts a new session.
    while (this.tokens.size > this.maxTokens) this.tokens.delete(this.tokens.keys().next().value as string);
    return token;
  }

  /** Consumes a token and returns its position, or throws the BadRequestException AWS answers. */
  redeem(token: string): SessionPosition {
    const record = this.tokens.get(token);
    const now = this.clock();
    if (!record || record.state === 'corrupted') {
      throw AwsServiceError.invalidToken(
        'Corrupted',
        'Request contains an invalid or corrupted ConfigurationToken',
      );
    }
    if (record.state === 'expired' || now - record.issuedAt >= TOKEN_LIFETIME_MS) {
      throw AwsServiceError.invalidToken(
        'Expired',
        'ConfigurationToken has expired; start a new configuration session',
      );
    }
    if (record.state === 'used' && !this.allowReuse) {
      throw AwsServiceError.invalidToken('Corrupted', 'ConfigurationToken has already been used');
    }
    // An early call does not consume the token: the caller may retry it once the interval has passed.
    if (now < record.notBefore) {
      throw AwsServiceError.invalidToken(
        'PollIntervalNotSatisfied',
        `Poll interval of ${record.position.requiredMinimumPollIntervalSeconds} seconds has not elapsed`,
      );
    }
    record.state = 'used';
    return record.position;
  }

  /** Fault `expire-tokens`: every outstanding token is expired at once. */
  expireAll(): void {
    for (const record of this.tokens.values()) if (record.state === 'live') record.state = 'expired';
  }

  /** Fault `corrupt-tokens`: every outstanding token is answered as corrupted. */
  corruptAll(): void {
    for (const record of this.tokens.values()) if (record.state === 'live') record.state = 'corrupted';
  }

  /**
   * Forgets tokens long past their lifetime (at most once a minute) so a long run holds bounded memory;
   * kept for a second lifetime so that a late caller still learns `Expired` rather than `Corrupted`.
   */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [token, record] of this.tokens)
      if (now - record.issuedAt >= 2 * TOKEN_LIFETIME_MS) this.tokens.delete(token);
  }
}
