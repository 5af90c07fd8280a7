/**
 * Run as its own process by deploy-stall.e2e-spec.ts (a fresh heap: a Jest worker's heap, grown by earlier test
 * files, would add its own garbage-collection pauses): the BUILT service in this process on the embedded default,
 * a small first document, then 10,000 realistic flags deployed twice (all new, then every flag changed). For each
 * deploy, every event-loop gap over 20 ms from the write until AFTER_SERVING_MS after serving, with the CPU the
 * main thread spent in it, and monitorEventLoopDelay's longest delay; sent to the parent over IPC.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type * as PollerModule from '@flagfleet/appconfig-poller';
import type * as ConfigModule from '../../apps/flag-service/src/config';
import type * as ServiceModule from '../../apps/flag-service/src/create-flag-service';
import { realisticFlags } from '../support/realistic-flags';

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

export interface DeployStalls {
  readonly label: string;
  readonly servedFlags: number;
  readonly monitoredMaxMs: number;
  /** The gap whose main thread used the most CPU. */
  readonly busiest: { readonly wallMs: number; readonly cpuMs: number };
  readonly gapsOver20Ms: number;
}

/**
 * CPU of this process's main thread in ms: Linux's per-thread counters (clock ticks of 10 ms), so that garbage
 * collection's helper threads, working beside the event loop, are not counted; elsewhere the whole process.
 */
const mainThreadCpuMs: () => number = (() => {
  const stat = `/proc/self/task/${process.pid}/stat`;
  try {
    readFileSync(stat);
  } catch {
    return () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    };
  }
  return () => {
    const text = readFileSync(stat, 'utf8');
    // The fields after the command name, from the 3rd (state): utime is the 14th, stime the 15th.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
})();

async function measure(label: string, deploy: () => Promise<number>): Promise<DeployStalls> {
  let busiest = { wallMs: 0, cpuMs: 0 };
  let gaps = 0;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let last = { at: process.hrtime.bigint(), cpu: mainThreadCpuMs() };
  let probing = true;
  const probe = (): void => {
    const now = { at: process.hrtime.bigint(), cpu: mainThreadCpuMs() };
    const wallMs = Number(now.at - last.at) / 1e6;
    if (wallMs > 20) {
      gaps++;
      const cpuMs = now.cpu - last.cpu;
      if (cpuMs > busiest.cpuMs) busiest = { wallMs, cpuMs };
    }
    last = now;
    if (probing) setTimeout(probe, 1);
  };
  delay.enable();
  setTimeout(probe, 1);
  let servedFlags = 0;
  try {
    servedFlags = await deploy();
    await new Promise((resolve) => setTimeout(resolve, AFTER_SERVING_MS));
  } finally {
    probing = false;
    delay.disable();
  }
  return { label, servedFlags, monitoredMaxMs: delay.max / 1e6, busiest, gapsOver20Ms: gaps };
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
  for (const [label, salt] of [
    ['10,000 new flags', 1],
    ['every flag changed', 2],
  ] as const) {
    // Made before the window: building the test's document is not the service's stall.
    const content = Buffer.from(JSON.stringify({ flags: realisticFlags(FLAGS, salt) }));
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
