/**
 * Redis egress per change: bytes Redis sends (INFO `total_net_output_bytes`) while one replica
 * publishes a new document and every other replica of a fleet of 10 and of 100 reads it, as the
 * snapshot loader does. Measured for the gzipped documents this version stores and, as the baseline,
 * for the plain documents earlier versions stored (still readable), on realistic flag documents.
 */
import { Redis } from 'ioredis';
import { contentHash, RedisConfigStore } from '@flagfleet/config-store';
import { startRedisServer } from '../test/support/redis-server';
import { waitFor } from '../test/support/wait-for';

const SOURCE = 'bench/prod/flags';

const WORDS = (
  'enable new checkout flow for beta cohort rollout pricing page banner search ranking model v2 ' +
  'mobile onboarding dark mode payment provider fallback recommendations carousel experiment holdout'
).split(' ');

/**
 * `count` flags with targeting, metadata and distinct keys, thresholds and free-text descriptions
 * (a seeded pseudo-random word choice, so the text does not compress better than people's text does).
 */
function realisticDocument(count: number, salt: number): Buffer {
  const flags: Record<string, object> = {};
  let seed = 4711 + salt;
  const word = () => WORDS[(seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % WORDS.length];
  for (let i = 0; i < count; i += 1) {
    const description = Array.from({ length: 8 }, word).join(' ');
    const team = ['checkout', 'search', 'growth', 'platform', 'mobile'][i % 5];
    flags[`${team}.feature-${i}`] = {
      state: i % 17 === 0 ? 'DISABLED' : 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: {
        if: [
          {
            or: [
              { in: [{ var: 'plan' }, ['pro', 'enterprise']] },
              { ends_with: [{ var: 'email' }, `@${team}-${i % 40}.example.com`] },
              { sem_ver: [{ var: 'appVersion' }, '>=', `2.${i % 9}.${(i + salt) % 13}`] },
            ],
          },
          {
            fractional: [
              ['on', 10 + (i % 80)],
              ['off', 90 - (i % 80)],
            ],
          },
          null,
        ],
      },
      metadata: { owner: `${team}-team`, ticket: `FF-${(seed % 90_000) + 10_000}`, description },
    };
  }
  return Buffer.from(JSON.stringify({ flags }));
}

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
