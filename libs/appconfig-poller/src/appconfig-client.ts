import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import {
  AppConfigClient as AppConfigControlPlaneClient,
  GetHostedConfigurationVersionCommand,
  ListDeploymentsCommand,
  type DeploymentSummary,
} from '@aws-sdk/client-appconfig';
import { AppConfigResponseInvalidError, AppConfigTimeoutError, HostedVersionNotFoundError } from './errors';
import { POLLER_OPTIONS, type AppConfigSource, type ResolvedPollerOptions } from './poller-options';

/** What one GetLatestConfiguration call returned, with the SDK's variations normalised. */
export interface LatestConfiguration {
  readonly nextToken: string;
  readonly nextPollIntervalSeconds: number;
  /** null when AppConfig sent nothing new for this session (empty Uint8Array or absent, by SDK version). */
  readonly content: Buffer | null;
  readonly contentType: string;
  readonly versionLabel: string | null;
}

/**
 * Asked on every GetLatestConfiguration: the Ion feature-flag format carries multi-variant flags' rules, JSON is
 * the alternative. What the AppConfig Agent sends is not published (docs/poller.md): this is inferred.
 */
export const FEATURE_FLAG_ACCEPT =
  'application/ion; type=AWS.AppConfig.FeatureFlags, application/json;q=0.9, */*;q=0.8';

/** The deployed configuration as the control plane holds it (for feature flags: the authoring document). */
export interface HostedConfiguration {
  readonly content: Buffer;
  readonly contentType: string;
  readonly versionLabel: string | null;
}

/** States of a deployment whose version the data plane serves (a rolled-back or reverted one it no longer does). */
const SERVED_STATES = new Set(['DEPLOYING', 'BAKING', 'COMPLETE']);
/** ListDeployments pages read at most (50 deployments each) before the profile's deployment counts as absent. */
const MAX_DEPLOYMENT_PAGES = 4;

/** Used when AppConfig omits NextPollIntervalInSeconds (its documented default). */
const DEFAULT_INTERVAL_SECONDS = 60;

/** The AppConfigData SDK behind one injectable: the only file that talks to AWS. */
@Injectable()
export class AppConfigClient implements OnApplicationShutdown {
  private readonly sdk: AppConfigDataClient;
  /** Only with featureFlagRules 'hosted'. */
  private readonly controlPlane: AppConfigControlPlaneClient | null;
  private readonly timeoutMs: number;

  constructor(@Inject(POLLER_OPTIONS) private readonly options: ResolvedPollerOptions) {
    const { endpoint, region, credentials, requestTimeoutMs, requestHandler } = options.client;
    this.timeoutMs = requestTimeoutMs;
    const config = {
      endpoint,
      // The SDK insists on a region even with an explicit endpoint; any value signs correctly for the emulator.
      region: region ?? (endpoint ? 'us-east-1' : undefined),
      credentials,
      ...(requestHandler ? { requestHandler } : {}),
      // One attempt: a retried GetLatestConfiguration would reuse its single-use token, so retries are the poller's.
      maxAttempts: 1,
    };
    this.sdk = new AppConfigDataClient(config);
    this.controlPlane =
      options.featureFlagRules === 'hosted' ? new AppConfigControlPlaneClient(config) : null;
    this.sdk.middlewareStack.add(
      (next, context) => (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (context.commandName === 'GetLatestConfigurationCommand' && request.headers)
          request.headers.accept = FEATURE_FLAG_ACCEPT;
        return next(args);
      },
      { step: 'build', name: 'flagfleetFeatureFlagAccept' },
    );
  }

  async startSession(source: AppConfigSource, signal: AbortSignal): Promise<string> {
    const answer = await this.call('StartConfigurationSession', signal, (abortSignal) =>
      this.sdk.send(
        new StartConfigurationSessionCommand({
          ApplicationIdentifier: source.application,
          EnvironmentIdentifier: source.environment,
          ConfigurationProfileIdentifier: source.profile,
          RequiredMinimumPollIntervalInSeconds: this.options.requiredMinimumPollIntervalSeconds,
        }),
        { abortSignal },
      ),
    );
    if (!answer.InitialConfigurationToken) {
      throw new AppConfigResponseInvalidError('StartConfigurationSession', 'InitialConfigurationToken');
    }
    return answer.InitialConfigurationToken;
  }

  async getLatest(token: string, signal: AbortSignal): Promise<LatestConfiguration> {
    const answer = await this.call('GetLatestConfiguration', signal, (abortSignal) =>
      this.sdk.send(new GetLatestConfigurationCommand({ ConfigurationToken: token }), { abortSignal }),
    );
    if (!answer.NextPollConfigurationToken) {
      throw new AppConfigResponseInvalidError('GetLatestConfiguration', 'NextPollConfigurationToken');
    }
    const bytes = answer.Configuration;
    return {
      nextToken: answer.NextPollConfigurationToken,
      nextPollIntervalSeconds: answer.NextPollIntervalInSeconds ?? DEFAULT_INTERVAL_SECONDS,
      content:
        bytes && bytes.byteLength > 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null,
      contentType: answer.ContentType ?? 'application/octet-stream',
      versionLabel: answer.VersionLabel || null,
    };
  }

  /**
   * The hosted configuration version of the source's newest served deployment (ListDeployments, then
   * GetHostedConfigurationVersion). The control plane takes IDs only, so the source must name them.
   */
  async hostedConfiguration(source: AppConfigSource, signal: AbortSignal): Promise<HostedConfiguration> {
    const controlPlane = this.controlPlane;
    if (!controlPlane) throw new Error('featureFlagRules is not hosted');
    const deployment = await this.servedDeployment(controlPlane, source, signal);
    const versionNumber = Number(deployment.ConfigurationVersion);
    if (!Number.isInteger(versionNumber)) {
      throw new HostedVersionNotFoundError(
        source,
        `deployment ${deployment.DeploymentNumber} is of version ${deployment.ConfigurationVersion}, not a hosted one`,
      );
    }
    const answer = await this.call('GetHostedConfigurationVersion', signal, (abortSignal) =>
      controlPlane.send(
        new GetHostedConfigurationVersionCommand({
          ApplicationId: source.application,
          ConfigurationProfileId: source.profile,
          VersionNumber: versionNumber,
        }),
        { abortSignal },
      ),
    );
    if (!answer.Content) throw new AppConfigResponseInvalidError('GetHostedConfigurationVersion', 'Content');
    const bytes = answer.Content;
    return {
      content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      contentType: answer.ContentType ?? 'application/octet-stream',
      versionLabel: answer.VersionLabel || null,
    };
  }

  /** The newest deployment of the profile whose version the data plane serves; AWS lists newest first. */
  private async servedDeployment(
    controlPlane: AppConfigControlPlaneClient,
    source: AppConfigSource,
    signal: AbortSignal,
  ): Promise<DeploymentSummary> {
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_DEPLOYMENT_PAGES; page++) {
      const answer = await this.call('ListDeployments', signal, (abortSignal) =>
        controlPlane.send(
          new ListDeploymentsCommand({
            ApplicationId: source.application,
            EnvironmentId: source.environment,
            MaxResults: 50,
            NextToken: nextToken,
          }),
          { abortSignal },
        ),
      );
      const found = (answer.Items ?? []).find(
        (item) => item.ConfigurationProfileId === source.profile && SERVED_STATES.has(item.State ?? ''),
      );
      if (found) return found;
      nextToken = answer.NextToken;
      if (!nextToken) break;
    }
    throw new HostedVersionNotFoundError(source, 'no deployment of the profile is being served');
  }

  /** After every module's onModuleDestroy, so the pollers have stopped (and released leases) first. */
  onApplicationShutdown(): void {
    this.sdk.destroy();
    this.controlPlane?.destroy();
  }

  private async call<T>(
    operation: string,
    signal: AbortSignal,
    send: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      return await send(AbortSignal.any([signal, timeout]));
    } catch (error) {
      if (timeout.aborted && !signal.aborted) throw new AppConfigTimeoutError(operation, this.timeoutMs);
      throw error;
    }
  }
}
