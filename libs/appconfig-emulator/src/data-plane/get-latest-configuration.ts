import { AwsServiceError } from './aws-service-error';
import type { DataPlane } from './data-plane';
import { ION_FEATURE_FLAGS, acceptsFeatureFlagIon } from '../feature-flags/retrieval-format';

export interface LatestConfiguration {
  readonly nextPollConfigurationToken: string;
  readonly nextPollIntervalInSeconds: number;
  readonly contentType: string;
  /** Empty when the session already holds this version (and then `content` is empty too). */
  readonly versionLabel: string;
  readonly content: Buffer;
}

/**
 * GetLatestConfiguration: redeems the token; answers the content when the session has not received the
 * latest version yet, an empty body otherwise, and always a fresh token and the interval in force.
 */
export function getLatestConfiguration(
  plane: DataPlane,
  token: string | null,
  accept?: string,
): LatestConfiguration {
  if (!token) throw AwsServiceError.invalidToken('Corrupted', 'ConfigurationToken is required');
  const position = plane.ledger.redeem(token);
  const version = plane.catalogue.latest(position.app, position.env, position.profile);
  // The catalogue never forgets a profile, so a redeemed position always has a version.
  if (!version) throw AwsServiceError.internal();
  plane.stats.getLatestConfiguration++;
  const changed = version.versionNumber !== position.seenVersion;
  if (changed) plane.stats.configurationsReturned++;
  // Feature-flag authoring documents are served in their retrieval format: Ion with variant data to a caller
  // that asks for it (as the agent does), JSON otherwise.
  const { retrieval } = version;
  const ion = retrieval?.ion !== undefined && acceptsFeatureFlagIon(accept) ? retrieval.ion : undefined;
  const served = ion ?? retrieval?.json ?? version.content;
  const contentType = ion ? ION_FEATURE_FLAGS : retrieval ? 'application/json' : version.contentType;
  return {
    nextPollConfigurationToken: plane.ledger.issue({ ...position, seenVersion: version.versionNumber }, true),
    nextPollIntervalInSeconds: position.requiredMinimumPollIntervalSeconds ?? plane.pollIntervalSeconds,
    contentType,
    versionLabel: changed ? (version.versionLabel ?? '') : '',
    content: changed ? served : Buffer.alloc(0),
  };
}
