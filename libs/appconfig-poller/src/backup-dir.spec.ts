import { SilentLogger } from '@flagfleet/core';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentHash, type StoredDocument } from '@flagfleet/config-store';
import { BackupDir } from './backup-dir';
import type { ResolvedPollerOptions } from './poller-options';

describe('BackupDir', () => {
  let dir: string;
  let backup: BackupDir;
  const content = Buffer.from('{"flags":{}}');
  const document: StoredDocument = {
    source: 'app/env/prof',
    revision: 7,
    content,
    contentType: 'application/json',
    versionLabel: 'v7',
    contentHash: contentHash(content),
    fetchedAt: 1234,
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flagfleet-backup-dir-'));
    backup = new BackupDir({ backupDir: join(dir, 'nested') } as ResolvedPollerOptions, new SilentLogger());
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips a document through one file per source, leaving no temp file', async () => {
    await backup.write(document);
    expect(await backup.read(document.source)).toEqual(document);
    expect(await readdir(join(dir, 'nested'))).toEqual(['app%2Fenv%2Fprof.json']);
  });

  it('returns null when there is no backup, or no backup dir', async () => {
    expect(await backup.read('other/env/prof')).toBeNull();
    const disabled = new BackupDir({} as ResolvedPollerOptions, new SilentLogger());
    await disabled.write(document);
    expect(await disabled.read(document.source)).toBeNull();
  });

  it.each([
    ['not JSON', () => 'garbage'],
    [
      'tampered content',
      (text: string) =>
        text.replace(Buffer.from('{"flags":{}}').toString('base64'), Buffer.from('{}').toString('base64')),
    ],
    ['another source', (text: string) => text.replace('app/env/prof', 'app/env/other')],
    ['a polluting payload', () => '{"__proto__":{"polluted":true},"format":"flagfleet-backup/1"}'],
  ])('ignores a backup with %s', async (_name, corrupt) => {
    await backup.write(document);
    const file = backup.fileOf(document.source);
    await writeFile(file, corrupt(await readFile(file, 'utf8')));
    expect(await backup.read(document.source)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
