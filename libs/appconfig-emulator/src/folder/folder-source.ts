import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FlagsDirUnreadableError } from '../errors';

const DEBOUNCE_MS = 100;
const PROFILE_FILE = /^[^.].*\.json$/;

export interface FolderSourceTarget {
  /** The bytes currently deployed for the profile, if any (to skip unchanged files). */
  current(profile: string): Buffer | undefined;
  deploy(profile: string, content: Buffer): void | Promise<void>;
  /** The profiles whose files are in the folder after a scan, sorted. */
  profiles?(profiles: readonly string[]): void;
  log(line: string): void;
}

/**
 * Folder mode: every `<profile>.json` in `dir` is a profile; changed bytes deploy a new version.
 * The whole folder is rescanned after a quiet period rather than trusting event file names, because
 * editors save by writing a temporary file and renaming it over the original. Invalid JSON is still
 * deployed: validating is the service's job. A deleted file keeps its last version, as in AppConfig.
 */
export class FolderSource {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private scanning: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly maxFileBytes: number,
    private readonly target: FolderSourceTarget,
  ) {}

  async start(): Promise<void> {
    try {
      await this.scan();
      this.watcher = watch(this.dir, () => this.schedule());
    } catch (error) {
      throw new FlagsDirUnreadableError(this.dir, { cause: error });
    }
    this.watcher.on('error', (error) => this.target.log(`watching ${this.dir} failed: ${error.message}`));
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.watcher?.close();
    await this.scanning;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // Scans run one after another so two rescans never race to deploy the same bytes twice.
      this.scanning = this.scanning
        .then(() => this.scan())
        .catch((error: Error) => this.target.log(`rescan failed: ${error.message}`));
    }, DEBOUNCE_MS);
  }

  private async scan(): Promise<void> {
    const names = (await readdir(this.dir)).filter((name) => PROFILE_FILE.test(name));
    const present: string[] = [];
    for (const name of names) {
      const profile = basename(name, '.json');
      if (profile.length > 128) {
        this.target.log(`skipping ${name}: profile names have at most 128 characters`);
        continue;
      }
      let content: Buffer;
      try {
        // Checked before reading: a stray multi-gigabyte file must not be loaded into memory.
        const { size } = await stat(join(this.dir, name));
        if (size > this.maxFileBytes) {
          this.target.log(`skipping ${name}: ${size} bytes, more than the limit of ${this.maxFileBytes}`);
          continue;
        }
        content = await readFile(join(this.dir, name));
      } catch (error) {
        // Gone or replaced mid-save: the rename that follows triggers another scan.
        this.target.log(`skipping ${name}: ${(error as Error).message}`);
        continue;
      }
      present.push(profile);
      if (this.target.current(profile)?.equals(content)) continue;
      await this.target.deploy(profile, content);
    }
    this.target.profiles?.(present.sort());
  }
}
