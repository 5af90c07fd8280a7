import { Logger } from '@flagfleet/core';
import { Inject, Injectable } from '@nestjs/common';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { contentHash, type SourceKey, type StoredDocument } from '@flagfleet/config-store';
import { BackupInvalidError } from './errors';
import { POLLER_OPTIONS, type ResolvedPollerOptions } from './poller-options';

/** On-disk form: the stored document with its bytes in base64 (any content type survives). */
interface BackupFile {
  readonly format: 'flagfleet-backup/1';
  readonly document: Omit<StoredDocument, 'content'> & { readonly content: string };
}

/**
 * BACKUP_DIR, as the AppConfig Agent's backup directory: the last good document of each source, so a
 * replica that finds neither Redis nor AppConfig at start-up still serves. Writes are temp + rename,
 * so a crash mid-write leaves the previous backup intact.
 */
@Injectable()
export class BackupDir {
  private readonly logger: Logger;
  private readonly dir: string | undefined;

  constructor(@Inject(POLLER_OPTIONS) options: ResolvedPollerOptions, logger: Logger) {
    this.logger = logger.child('poller');
    this.dir = options.backupDir;
  }

  /** The backup of a source, or null when there is none or it cannot be trusted (logged). */
  async read(source: SourceKey): Promise<StoredDocument | null> {
    if (!this.dir) return null;
    const file = this.fileOf(source);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.logger.warn(new BackupInvalidError(file, (error as Error).message).message);
      }
      return null;
    }
    try {
      return parseBackup(text, source);
    } catch (error) {
      this.logger.warn(new BackupInvalidError(file, (error as Error).message).message);
      return null;
    }
  }

  /** Best effort: a full disk must not stop the replica from serving the new snapshot. */
  async write(document: StoredDocument): Promise<void> {
    if (!this.dir) return;
    const file = this.fileOf(document.source);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const backup: BackupFile = {
      format: 'flagfleet-backup/1',
      document: { ...document, content: document.content.toString('base64') },
    };
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, JSON.stringify(backup), { mode: 0o600 });
      await rename(temp, file);
    } catch (error) {
      this.logger.warn(`backup of ${document.source} not written: ${(error as Error).message}`);
    }
  }

  fileOf(source: SourceKey): string {
    // encodeURIComponent turns the `/` separators (and anything path-like) into inert characters.
    return join(this.dir ?? '.', `${encodeURIComponent(source)}.json`);
  }
}

function parseBackup(text: string, source: SourceKey): StoredDocument {
  const parsed = JSON.parse(text) as Partial<BackupFile> | null;
  const doc = parsed?.document;
  if (parsed?.format !== 'flagfleet-backup/1' || !doc || typeof doc.content !== 'string') {
    throw new Error('not a flagfleet backup');
  }
  if (doc.source !== source) throw new Error(`it holds ${String(doc.source)}`);
  if (typeof doc.revision !== 'number' || typeof doc.contentType !== 'string')
    throw new Error('fields missing');
  const content = Buffer.from(doc.content, 'base64');
  if (contentHash(content) !== doc.contentHash) throw new Error('content hash mismatch');
  return {
    source,
    revision: doc.revision,
    content,
    contentType: doc.contentType,
    versionLabel: typeof doc.versionLabel === 'string' ? doc.versionLabel : null,
    contentHash: doc.contentHash,
    fetchedAt: typeof doc.fetchedAt === 'number' ? doc.fetchedAt : 0,
  };
}
