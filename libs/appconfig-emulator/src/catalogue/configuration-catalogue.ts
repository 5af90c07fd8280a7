import { retrievalFormats, type RetrievalFormats } from '../feature-flags/retrieval-format';

/** One deployed version of a configuration profile. */
export interface ConfigurationVersion {
  readonly versionNumber: number;
  /** Counted per environment, as AWS numbers deployments. */
  readonly deploymentNumber: number;
  readonly deployedAt: Date;
  readonly content: Buffer;
  readonly contentType: string;
  readonly versionLabel?: string;
  /** A feature-flag authoring document: what AppConfigData serves instead of the content as deployed. */
  readonly retrieval?: RetrievalFormats;
}

export type MissingResource = 'Application' | 'Environment' | 'ConfigurationProfile';

/**
 * Applications, environments and profiles by name, each profile holding its latest deployment.
 * Only the latest version is kept: GetLatestConfiguration never serves an older one.
 */
export class ConfigurationCatalogue {
  private readonly applications = new Map<string, Map<string, Map<string, ConfigurationVersion>>>();
  private readonly deploymentCounts = new Map<Map<string, ConfigurationVersion>, number>();

  deploy(
    app: string,
    env: string,
    profile: string,
    content: Buffer,
    contentType: string,
    versionLabel?: string,
    /** Its retrieval formats when the caller converted it already (`retrievalFormatsSliced`). */
    converted?: RetrievalFormats | null,
  ): ConfigurationVersion {
    const profiles = this.environmentOf(app, env);
    const previous = profiles.get(profile);
    const retrieval = converted === undefined ? retrievalFormats(content, contentType) : converted;
    const deploymentNumber = (this.deploymentCounts.get(profiles) ?? 0) + 1;
    this.deploymentCounts.set(profiles, deploymentNumber);
    const version: ConfigurationVersion = {
      versionNumber: (previous?.versionNumber ?? 0) + 1,
      deploymentNumber,
      deployedAt: new Date(),
      content,
      contentType,
      ...(versionLabel ? { versionLabel } : {}),
      ...(retrieval ? { retrieval } : {}),
    };
    profiles.set(profile, version);
    return version;
  }

  latest(app: string, env: string, profile: string): ConfigurationVersion | undefined {
    return this.applications.get(app)?.get(env)?.get(profile);
  }

  /** The latest deployment of each profile of an environment, newest first; undefined when it does not exist. */
  deployments(app: string, env: string): { profile: string; version: ConfigurationVersion }[] | undefined {
    const profiles = this.applications.get(app)?.get(env);
    if (!profiles) return undefined;
    return [...profiles]
      .map(([profile, version]) => ({ profile, version }))
      .sort((a, b) => b.version.deploymentNumber - a.version.deploymentNumber);
  }

  /** The hosted version `versionNumber` of a profile, when some environment still serves it. */
  hostedVersion(app: string, profile: string, versionNumber: number): ConfigurationVersion | undefined {
    for (const profiles of this.applications.get(app)?.values() ?? []) {
      const version = profiles.get(profile);
      if (version?.versionNumber === versionNumber) return version;
    }
    return undefined;
  }

  /** Which level of the hierarchy is absent, as ResourceNotFoundException's ResourceType names it. */
  missing(app: string, env: string, profile: string): MissingResource | undefined {
    const environments = this.applications.get(app);
    if (!environments) return 'Application';
    const profiles = environments.get(env);
    if (!profiles) return 'Environment';
    return profiles.has(profile) ? undefined : 'ConfigurationProfile';
  }

  private environmentOf(app: string, env: string): Map<string, ConfigurationVersion> {
    let environments = this.applications.get(app);
    if (!environments) this.applications.set(app, (environments = new Map()));
    let profiles = environments.get(env);
    if (!profiles) environments.set(env, (profiles = new Map()));
    return profiles;
  }
}
