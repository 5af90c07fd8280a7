import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { DataPlane } from '../data-plane/data-plane';
import { AwsServiceError } from '../data-plane/aws-service-error';
import { replyJson } from '../http/replies';

/** The two AppConfig control-plane operations that read what was deployed (restJson1, paths as the SDK sends them). */
const LIST_DEPLOYMENTS = /^\/applications\/([^/]+)\/environments\/([^/]+)\/deployments$/;
const HOSTED_VERSION =
  /^\/applications\/([^/]+)\/configurationprofiles\/([^/]+)\/hostedconfigurationversions\/([^/]+)$/;

function segments(match: RegExpExecArray): string[] {
  return match.slice(1).map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw AwsServiceError.badRequest('path segment is not valid percent-encoding');
    }
  });
}

/** Answers ListDeployments or GetHostedConfigurationVersion; false when `path` is neither. */
export function answerControlPlane(
  { catalogue, stats }: Pick<DataPlane, 'catalogue' | 'stats'>,
  path: string,
  res: ServerResponse,
): boolean {
  const requestId = { 'x-amzn-requestid': randomUUID() };
  const list = LIST_DEPLOYMENTS.exec(path);
  if (list) {
    const [app, env] = segments(list);
    const deployments = catalogue.deployments(app, env);
    if (!deployments) throw AwsServiceError.notFound('Environment', { ApplicationId: app, EnvironmentId: env });
    stats.listDeployments++;
    // Every deployment here completes at once; AWS lists them newest first.
    const items = deployments.map(({ profile, version }) => ({
      DeploymentNumber: version.deploymentNumber,
      ConfigurationProfileId: profile,
      ConfigurationName: profile,
      ConfigurationVersion: String(version.versionNumber),
      DeploymentDurationInMinutes: 0,
      GrowthType: 'LINEAR',
      GrowthFactor: 100,
      FinalBakeTimeInMinutes: 0,
      State: 'COMPLETE',
      PercentageComplete: 100,
      StartedAt: version.deployedAt.toISOString(),
      CompletedAt: version.deployedAt.toISOString(),
      ...(version.versionLabel ? { VersionLabel: version.versionLabel } : {}),
    }));
    replyJson(res, 200, { Items: items }, requestId);
    return true;
  }
  const hosted = HOSTED_VERSION.exec(path);
  if (!hosted) return false;
  const [app, profile, versionNumber] = segments(hosted);
  // Only the latest version of a profile is kept (in any environment that deployed it).
  const version = catalogue.hostedVersion(app, profile, Number(versionNumber));
  if (!version) {
    throw AwsServiceError.notFound('HostedConfigurationVersion', {
      ApplicationId: app,
      ConfigurationProfileId: profile,
      VersionNumber: versionNumber,
    });
  }
  stats.getHostedConfigurationVersion++;
  res.writeHead(200, {
    'content-type': version.contentType,
    'content-length': version.content.length,
    'application-id': app,
    'configuration-profile-id': profile,
    'version-number': String(version.versionNumber),
    ...(version.versionLabel ? { versionlabel: version.versionLabel } : {}),
    ...requestId,
  });
  res.end(version.content);
  return true;
}
