/**
 * Redis egress per change: bytes Redis sends (INFO `total_net_output_bytes`) while one replica
 * publishes a new document and every other replica of a fleet of 10 and of 100 reads it, as the
 * snapshot loader does. Measured for the gzipped documents this version stores and, as the baseline,
 * for the plain documents earlier versions stored (still readable), on realistic flag documents.
 */
import { Redis } from 'ioredis';
import { contentHash, RedisConfigStore } from '@flagfleet/config-store';
import { startRedisServer } from '../test/support/redis-server';
import { realisticDocument } from '../test/support/realistic-flags';
import { waitFor } from '../test/support/wait-for';

const SOURCE = 'bench/prod/flags';

async function outputBytes(admin: Redis): Promise<number> {
  const info = await admin.info('stats');
  return Number(/total_net_output_bytes:(\d+)/.exec(info)?.[1]);
}

async function measure(url: string, replicas: number, flags: number, plain: boolean): Promise<void> {
  const admin = new Redis(url);
  await admin.flushall();
  const stores = Array.from({ length: replicas }, () => new RedisConfigStore({ url, catchUpIntervalMs: 0 }));
  try {
    await Promise.all(stores.map((store) => store.ready()));
    const [publisher, ...readers] = stores;
    let loaded = 0;
    for (const reader of readers) {
      reader.onRevision(() => void reader.readDocument(SOURCE).then(() => (loaded += 1)));
    }
    const lease = (await publisher.acquireLease(SOURCE, 'publisher', 60_000))!;
    const content = realisticDocument(flags, replicas);
    const document = {
      content,
      contentType: 'application/json',
      versionLabel: 'v1',
      contentHash: contentHash(content),
      fetchedAt: Date.now(),
    };
    const before = await outputBytes(admin);
    if (plain) {
      // The layout of earlier versions: plain bytes in `content`, then the revision message.
      const key = `flagfleet:{${SOURCE}}:document`;
      await admin.hset(key, { ...document, content, revision: 1 });
      await admin.publish('flagfleet:revisions', JSON.stringify({ source: SOURCE, revision: 1 }));
    } else {
      await publisher.publishDocument(lease, document);
    }
    await waitFor(() => loaded === readers.length, { timeoutMs: 60_000, message: 'every replica to read' });
    const bytes = (await outputBytes(admin)) - before;
    const stored = plain
      ? content.length
      : (await admin.hgetBuffer(`flagfleet:{${SOURCE}}:document`, 'contentGzip'))!.length;
    console.log(
      `${flags} flags (${(content.length / 1024).toFixed(0)} KiB, stored ${(stored / 1024).toFixed(0)} KiB ${plain ? 'plain' : 'gzipped'}), ` +
        `${replicas} replicas: ${(bytes / 1024 / 1024).toFixed(2)} MiB egress per change (${(bytes / (replicas - 1) / 1024).toFixed(1)} KiB per reading replica)`,
    );
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    admin.disconnect();
  }
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  try {
    for (const flags of [1_000, 4_000]) {
      for (const replicas of [10, 100]) {
        await measure(redis.url, replicas, flags, true);
        await measure(redis.url, replicas, flags, false);
      }
    }
  } finally {
    await redis.stop();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
