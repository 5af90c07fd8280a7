import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfigPoller } from '@flagfleet/appconfig-poller';
import { SnapshotRegistry } from '@flagfleet/serving';
import { sourceKey } from '@flagfleet/config-store';
import { Logger } from '@flagfleet/core';
import { embeddedSource, servedProfiles } from './embedded-sources';
import { PolledSources } from './polled-sources';

/**
 * Embedded default: follows FLAGS_DIR after start-up. A new `<profile>.json` becomes a source at once
 * (no restart); a removed one stops being served. The default source is kept, last version serving,
 * because requests without X-Flagfleet-Source need it.
 */
@Injectable()
export class FolderSync implements OnApplicationBootstrap {
  private readonly logger: Logger;
  private applying: Promise<void> = Promise.resolve();
  private defaultGone = false;

  constructor(
    private readonly polled: PolledSources,
    private readonly poller: AppConfigPoller,
    private readonly snapshots: SnapshotRegistry,
    logger: Logger,
  ) {
    this.logger = logger.child('flags-dir');
  }

  onApplicationBootstrap(): void {
    // Changes apply one after another, so a file added and removed quickly ends as the folder is.
    this.polled.folderProfiles?.follow((profiles) => {
      this.applying = this.applying.then(() => this.apply(servedProfiles(profiles)));
    });
  }

  /** Stops following the folder (a step of ShutdownOrder), once the change being applied is done. */
  async stop(): Promise<void> {
    this.polled.folderProfiles?.stop();
    await this.applying;
  }

  private async apply(profiles: readonly string[]): Promise<void> {
    const wanted = new Map(profiles.map((profile) => [keyOf(profile), profile]));
    const current = this.poller.sourceKeys();
    if (wanted.has(this.snapshots.defaultSource)) this.defaultGone = false;
    for (const [key, profile] of wanted) {
      if (current.includes(key)) continue;
      this.logger.info(`new source ${key} from ${profile}.json`, { source: key });
      await this.poller
        .addSource(embeddedSource(profile))
        .catch((error: Error) =>
          this.logger.error(`adding source ${key} failed: ${error.message}`, { source: key }),
        );
    }
    for (const key of current) {
      if (wanted.has(key)) continue;
      if (key === this.snapshots.defaultSource) {
        if (!this.defaultGone)
          this.logger.warn(`the default source's file is gone; ${key} keeps serving its last version`, {
            source: key,
          });
        this.defaultGone = true;
        continue;
      }
      this.logger.info(`source ${key} removed: its file is gone; no longer served`, { source: key });
      await this.poller.removeSource(key);
    }
  }
}

function keyOf(profile: string): string {
  const { application, environment } = embeddedSource(profile);
  return sourceKey(application, environment, profile);
}
