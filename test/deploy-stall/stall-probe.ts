/**
 * Run as its own process by deploy-stall.e2e-spec.ts (a fresh heap: a Jest worker's heap, grown by earlier test
 * files, would add its own garbage-collection pauses): the BUILT service in this process on the embedded default,
 * a small first document, then 10,000 realistic flags deployed twice (all new, then every flag changed), in flagd's
 * format and then as AppConfigData serves a profile of AppConfig multi-variant flags (the Ion retrieval format:
 * rules parsed, compiled and translated for flagd sync; the embedded emulator serves it as written). For each
 * deploy, every event-loop gap over 20 ms from the write until AFTER_SERVING_MS after serving, with the CPU the
 * main thread spent in it, and monitorEventLoopDelay's longest delay; sent to the parent over IPC.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type * as PollerModule from '@flagfleet/appconfig-poller';
import type * as ConfigModule from '../../apps/flag-service/src/config';
import type * as ServiceModule from '../../apps/flag-service/src/create-flag-service';
import { watchEventLoop, type EventLoopStalls } from '../support/event-loop-stalls';
import { realisticAppConfigIon, realisticFlags } from '../support/realistic-flags';

const DIST = join(__dirname, '../../dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ServiceConfig } = require(join(DIST, 'apps/flag-service/src/config')) as typeof ConfigModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createFlagService } = require(
  join(DIST, 'apps/flag-service/src/create-flag-service'),
) as typeof ServiceModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PollerStatus, PollerEvent } = require(join(DIST, 'libs/appconfig-poller/src')) as typeof PollerModule;

const FLAGS = 10_000;
/** Listeners of flags.changed (webhooks, SSE, flagd streams) run after it: the window covers them too. */
const AFTER_SERVING_MS = 500;

export interface DeployStalls extends EventLoopStalls {
  readonly label: string;
  readonly servedFlags: number;
}

async function measure(label: string, deploy: () => Promise<number>): Promise<DeployStalls> {
  const watch = watchEventLoop();
  try {
    const servedFlags = await deploy();
    await new Promise((resolve) => setTimeout(resolve, AFTER_SERVING_MS));
    return { label, servedFlags, ...watch.stop() };
  } finally {
    watch.stop();
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'flagfleet-stall-'));
  const file = join(dir, 'flags.json');
  await writeFile(file, JSON.stringify({ flags: realisticFlags(10, 0) }));
  const config = ServiceConfig.fromEnv({
    FLAGS_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    FLAGD_EVALUATION_PORT: 'off',
    FLAGD_SYNC_PORT: 'off',
    DOCUMENT_MAX_BYTES: String(32 * 1024 * 1024),
  });
  const app = await createFlagService(config);
  await app.listen(0, '127.0.0.1');
  if (!(await app.get(PollerStatus).whenReady(30_000))) throw new Error('the first document did not load');
  const events = app.get(EventEmitter2);
  const results: DeployStalls[] = [];
  const flagd = (salt: number) => Buffer.from(JSON.stringify({ flags: realisticFlags(FLAGS, salt) }));
  for (const [label, document] of [
    ['flagd: 10,000 new flags', () => flagd(1)],
    ['flagd: every flag changed', () => flagd(2)],
    ['AppConfig: 10,000 new flags', () => realisticAppConfigIon(FLAGS, 1)],
    ['AppConfig: every flag changed', () => realisticAppConfigIon(FLAGS, 2)],
  ] as const) {
    // Made before the window: building the test's document is not the service's stall.
    const content = document();
    results.push(
      await measure(label, async () => {
        const served = new Promise<{ snapshot: { flags: { keys: readonly string[] } | null } }>((resolve) =>
          events.once(PollerEvent.FLAGS_CHANGED, resolve),
        );
        await writeFile(file, content);
        return (await served).snapshot.flags?.keys.length ?? 0;
      }),
    );
  }
  await app.close();
  await rm(dir, { recursive: true, force: true });
  process.send?.(results);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
