import type { Cluster, Redis, Result } from 'ioredis';
import { ACQUIRE_LEASE } from './acquire-lease';
import { PUBLISH_DOCUMENT } from './publish-document';
import { RELEASE_LEASE } from './release-lease';
import { RENEW_LEASE } from './renew-lease';
import { WRITE_TOKEN } from './write-token';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    flagfleetAcquireLease(
      lease: string,
      fence: string,
      owner: string,
      ttlMs: number,
    ): Result<number | null, Context>;
    flagfleetRenewLease(lease: string, holder: string, ttlMs: number): Result<number, Context>;
    flagfleetReleaseLease(lease: string, holder: string): Result<number, Context>;
    flagfleetWriteToken(
      fence: string,
      token: string,
      expectedFence: number,
      json: string,
    ): Result<number, Context>;
    flagfleetPublishDocument(
      fence: string,
      document: string,
      expectedFence: number,
      contentGzip: Buffer,
      contentType: string,
      versionLabel: string,
      hasVersionLabel: '0' | '1',
      contentHash: string,
      fetchedAt: number,
      channel: string,
      source: string,
      minRevision: number,
    ): Result<[number, number?], Context>;
  }
}

/** Registers every store script on a client (EVALSHA, falling back to EVAL after a Redis restart). */
export function defineStoreScripts(client: Redis | Cluster): void {
  for (const script of [ACQUIRE_LEASE, RENEW_LEASE, RELEASE_LEASE, WRITE_TOKEN, PUBLISH_DOCUMENT]) {
    client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
}
