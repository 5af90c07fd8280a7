import type { PollTokenState, RejectedConfiguration } from './config-store';

/** The stored form of a PollTokenState: JSON, read back field by field so stray keys never reach a poller. */
export function encodeTokenState(state: PollTokenState): string {
  return JSON.stringify(copyTokenState(state));
}

export function decodeTokenState(json: string): PollTokenState {
  return copyTokenState(JSON.parse(json) as PollTokenState);
}

/** A copy holding only the contract's fields. */
export function copyTokenState(state: PollTokenState): PollTokenState {
  const { token, sessionStartedAt, nextPollAt, polledAt, intervalMs, rejected, unpublished } = state;
  return {
    token,
    sessionStartedAt,
    nextPollAt,
    ...(polledAt !== undefined ? { polledAt } : {}),
    ...(intervalMs !== undefined ? { intervalMs } : {}),
    ...(rejected ? { rejected: copyRejected(rejected) } : {}),
    ...(unpublished === true ? { unpublished } : {}),
  };
}

function copyRejected(rejected: RejectedConfiguration): RejectedConfiguration {
  const { at, versionLabel, contentHash, problemCodes, problemCount } = rejected;
  return { at, versionLabel, contentHash, problemCodes: [...problemCodes], problemCount };
}
