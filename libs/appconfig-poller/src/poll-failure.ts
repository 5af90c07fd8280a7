/** How the poller reads an AppConfigData failure: which ones a new session repairs, and a loggable summary. */

interface ServiceErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly Reason?: unknown;
  readonly Details?: { readonly InvalidParameters?: Record<string, unknown> };
}

/**
 * A BadRequestException about the token itself (expired, reused, corrupted): a new session repairs it.
 * `PollIntervalNotSatisfied` is not: the token was not consumed and is retried after a backoff, as are
 * other bad requests (e.g. an identifier too long).
 */
export function isTokenProblem(error: unknown): boolean {
  const shape = error as ServiceErrorShape | null;
  if (!shape || shape.name !== 'BadRequestException') return false;
  const invalid = shape.Details?.InvalidParameters;
  // Without details, a bad request on a token-only call can only be about the token.
  if (invalid === undefined) return true;
  const token = invalid.ConfigurationToken as { readonly Problem?: unknown } | undefined;
  return token !== undefined && token.Problem !== 'PollIntervalNotSatisfied';
}

export interface PollFailure {
  /** e.g. ThrottlingException, InternalServerException, ResourceNotFoundException, AppConfigTimeoutError */
  readonly name: string;
  readonly message: string;
}

/** Names and messages only: tokens are credentials for one call and never reach logs or events. */
export function describePollFailure(
  error: unknown,
  secrets: readonly (string | undefined)[] = [],
): PollFailure {
  const shape = (
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  ) as ServiceErrorShape;
  const code = (error as { code?: unknown } | null)?.code;
  let name =
    typeof shape.name === 'string' && shape.name !== 'Error'
      ? shape.name
      : typeof code === 'string' // Node network errors: ECONNRESET, ECONNREFUSED …
        ? code
        : 'Error';
  let message = typeof shape.message === 'string' && shape.message ? shape.message : name;
  // The SDK wraps errors from another realm (e.g. Node's own under Jest) as "AWS SDK error wrapper for Name: text".
  const wrapped = /^AWS SDK error wrapper for (\w+): (.*)$/s.exec(message);
  if (name === 'Error' && wrapped) [name, message] = [wrapped[1], wrapped[2]];
  for (const secret of secrets) if (secret) message = message.split(secret).join('[token]');
  return { name, message };
}
