import type { AppConfigClientOptions, AppConfigSource } from '@flagfleet/appconfig-poller';
import type { Logger } from '@flagfleet/core';
import type { SourcesConfig } from '../config';
import { embeddedSources, startEmbeddedEmulator } from './embedded-sources';
import { inProcessRequestHandler } from './in-process-handler';

/**
 * What the poller polls and how it reaches it, known before Nest builds the modules: AppConfig's sources as
 * configured, or, in the embedded default, the profiles of the folder served by an in-process emulator with no
 * listener, called through the SDK's request handler (closed by ShutdownOrder after the poller released its leases).
 */
export class PolledSources {
  private constructor(
    readonly sources: AppConfigSource[],
    readonly client: AppConfigClientOptions,
    readonly close: () => Promise<void>,
    /** Embedded default: the folder's profiles after each scan of the in-process emulator. */
    readonly folderProfiles: FolderProfiles | null = null,
  ) {}

  static async open(config: SourcesConfig, logger: Logger): Promise<PolledSources> {
    if (config.mode === 'appconfig') {
      const sources = config.list.map((source) => ({ ...source }));
      return new PolledSources(sources, { endpoint: config.endpoint, region: config.region }, async () => {});
    }
    const sources = await embeddedSources(config.flagsDir);
    const log = logger.child('emulator');
    const folderProfiles = new FolderProfiles();
    const emulator = await startEmbeddedEmulator(
      config.flagsDir,
      config.pollIntervalSeconds,
      config.maxFileBytes,
      (line) => log.debug(line),
      (profiles) => folderProfiles.update(profiles),
    );
    return new PolledSources(
      sources,
      {
        endpoint: emulator.url,
        // No listener: the SDK's calls are dispatched to the emulator in this process.
        requestHandler: inProcessRequestHandler(emulator.dispatch),
        region: 'us-east-1',
        // The emulator accepts any signature; real AppConfig uses the SDK's credential chain.
        credentials: { accessKeyId: 'flagfleet', secretAccessKey: 'embedded' },
      },
      () => emulator.close(),
      folderProfiles,
    );
  }
}

/** The latest list of profile files, handed from the emulator's scans to whoever follows them. */
export class FolderProfiles {
  private listener: ((profiles: readonly string[]) => void) | undefined;
  private latest: readonly string[] | undefined;

  update(profiles: readonly string[]): void {
    this.latest = profiles;
    this.listener?.(profiles);
  }

  /** One follower; it gets the latest list at once when a scan already happened. */
  follow(listener: (profiles: readonly string[]) => void): void {
    this.listener = listener;
    if (this.latest) listener(this.latest);
  }

  stop(): void {
    this.listener = undefined;
  }
}
