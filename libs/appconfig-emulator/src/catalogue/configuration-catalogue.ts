import { retrievalFormats, type RetrievalFormats } from '../feature-flags/retrieval-format';

/** One deployed version of a configuration profile. */
export interface ConfigurationVersion {
  readonly versionNumber: number;
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

  deploy(
    app: string,
    env: string,
    profile: string,
    content: Buffer,
    contentType: string,
    versionLabel?: string,
  ): ConfigurationVersion {
    const profiles = this.environmentOf(app, env);
    const previous = profiles.get(profile);
    const retrieval = retrievalFormats(content, contentType);
    const version: ConfigurationVersion = {
      versionNumber: (previous?.versionNumber ?? 0) + 1,
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
