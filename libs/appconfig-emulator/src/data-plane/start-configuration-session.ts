import { AwsServiceError } from './aws-service-error';
import type { DataPlane } from './data-plane';

const IDENTIFIERS = [
  'ApplicationIdentifier',
  'EnvironmentIdentifier',
  'ConfigurationProfileIdentifier',
] as const;
export const MIN_POLL_INTERVAL_SECONDS = 15;
export const MAX_POLL_INTERVAL_SECONDS = 86_400;

/**
 * StartConfigurationSession: validates the request as AWS does (identifiers 1–128 chars, minimum poll
 * interval 15–86400), resolves the profile by name and returns the session's initial token.
 */
export function startConfigurationSession(plane: DataPlane, body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw AwsServiceError.badRequest('Request body must be a JSON object');
  }
  const request = body as Record<string, unknown>;
  const [app, env, profile] = IDENTIFIERS.map((name) => {
    const value = request[name];
    if (typeof value !== 'string' || value.length < 1 || value.length > 128) {
      throw AwsServiceError.invalidParameter(name, `${name} must be a string of 1 to 128 characters`);
    }
    return value;
  });
  const minimum = request.RequiredMinimumPollIntervalInSeconds;
  if (
    minimum !== undefined &&
    (!Number.isInteger(minimum) ||
      (minimum as number) < MIN_POLL_INTERVAL_SECONDS ||
      (minimum as number) > MAX_POLL_INTERVAL_SECONDS)
  ) {
    throw AwsServiceError.invalidParameter(
      'RequiredMinimumPollIntervalInSeconds',
      `RequiredMinimumPollIntervalInSeconds must be an integer between ${MIN_POLL_INTERVAL_SECONDS} and ${MAX_POLL_INTERVAL_SECONDS}`,
    );
  }
  const missing = plane.catalogue.missing(app, env, profile);
  if (missing) {
    throw AwsServiceError.notFound(missing, {
      ApplicationIdentifier: app,
      EnvironmentIdentifier: env,
      ConfigurationProfileIdentifier: profile,
    });
  }
  plane.stats.startConfigurationSession++;
  return plane.ledger.issue(
    {
      app,
      env,
      profile,
      ...(minimum !== undefined ? { requiredMinimumPollIntervalSeconds: minimum as number } : {}),
      seenVersion: 0,
    },
    false,
  );
}
