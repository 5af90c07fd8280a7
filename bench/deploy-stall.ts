/**
 * What a deploy costs the replica that loads it. The service runs in this process (embedded default, FLAGS_DIR
 * in a temp folder) so that `perf_hooks.monitorEventLoopDelay` sees its event loop, while a paced load generator
 * in its own process (bench/timed-load.ts) evaluates a targeted flag at a fixed rate. Deploys: a document of
 * 10,000 realistic targeted flags in which every flag changes, then the same document with one flag edited.
 * For each: the longest event-loop stall between the file write and a second after the new snapshot is served
 * (when the listeners of flags.changed have run), and the p99
 * of evaluations in flight while it loads, against the p99 of a calm window. Baseline in the same run: the
 * stall of a synchronous compile of the same document (what every deploy cost before compiles were sliced).
 * Then the 20 MB metadata string: refused before it is read with the default limits, and, if an operator
 * raised DOCUMENT_MAX_BYTES above it, the longest stall while it is parsed.
 *
 * Run after `npm run build` (as `npm run bench` does). Settings (environment): BENCH_FLAGS (10000), BENCH_RATE (500 requests/s).
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type * as PollerModule from '@flagfleet/appconfig-poller';
import { PollerEvent, type ConfigRejectedEvent, type FlagsChangedEvent } from '@flagfleet/appconfig-poller';
import { compileFlagDocument } from '@flagfleet/flag-engine';
import type * as ConfigModule from '../apps/flag-service/src/config';
import type * as ServiceModule from '../apps/flag-service/src/create-flag-service';
import { percentile } from '../test/support/fleet';
import { realisticFlags } from '../test/support/realistic-flags';
import type { TimedLoadJob, TimedLoadResult } from './timed-load';

// The BUILT service (`npm run bench` builds first): Nest's injection needs the decorator metadata SWC emits.
const BUILT = join(__dirname, '../dist/apps/flag-service/src');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ServiceConfig } = require(join(BUILT, 'config')) as typeof ConfigModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createFlagService } = require(join(BUILT, 'create-flag-service')) as typeof ServiceModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PollerStatus } = require(join(__dirname, '../dist/libs/appconfig-poller/src')) as typeof PollerModule;

const FLAGS = Number(process.env.BENCH_FLAGS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const CALM_SECONDS = 3;
const AFTER_SERVING_MS = 1_000;
const CONTEXT = JSON.stringify({
  context: { targetingKey: 'user-4711', plan: 'pro', email: 'ada@growth-3.example.com', appVersion: '2.4.1' },
});

const documentOf = (salt: number, edit?: (flags: Record<string, object>) => void): string => {
  const flags = realisticFlags(FLAGS, salt);
  edit?.(flags);
  return JSON.stringify({ flags });
};
const ms = (nanoseconds: number): string => (nanoseconds / 1e6).toFixed(1);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'flagfleet-deploy-stall-'));
  const first = documentOf(1);
  await writeFile(join(dir, 'flags.json'), first);
  const config = ServiceConfig.fromEnv({
    FLAGS_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    // 10,000 realistic flags are more than the 4 MiB default.
    DOCUMENT_MAX_BYTES: String(32 * 1024 * 1024),
  });
  const app = await createFlagService(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const events = app.get(EventEmitter2);
  if (!(await app.get(PollerStatus).whenReady(120_000))) throw new Error('the first document did not load');
  // An enabled, targeted flag (every 17th is disabled).
  const key = Object.keys(realisticFlags(2, 1))[1];
  console.log(
    `${FLAGS} realistic targeted flags, ${(Buffer.byteLength(first) / 1e6).toFixed(1)} MB; load ${RATE} requests/s on ` +
      `POST /ofrep/v1/evaluate/flags/${key}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );

  const deploys = [
    { label: 'every flag changed', content: documentOf(2) },
    {
      label: 'one flag changed',
      content: documentOf(2, (flags) => (flags[key] = { ...flags[key], defaultVariant: 'on' })),
    },
  ];
  const windows: { label: string; from: number; to: number; stallNs: number }[] = [];
  const loader = fork(join(__dirname, 'timed-load.ts'), [], { execArgv: ['--import', 'tsx'] });
  // Long enough to cover both deploys on a loaded machine (each takes 3-10 s there).
  const seconds = CALM_SECONDS + deploys.length * 12;
  const results = new Promise<TimedLoadResult>((resolve) =>
    loader.once('message', (m: TimedLoadResult) => resolve(m)),
  );
  loader.send({
    port,
    path: `/ofrep/v1/evaluate/flags/${key}`,
    body: CONTEXT,
    rate: RATE,
    seconds,
  } satisfies TimedLoadJob);
  const loadStart = Date.now();
  await new Promise((resolve) => setTimeout(resolve, CALM_SECONDS * 1000));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  for (const deploy of deploys) {
    const served = new Promise<FlagsChangedEvent>((resolve) =>
      events.once(PollerEvent.FLAGS_CHANGED, resolve),
    );
    // Encoded before the monitor starts: the benchmark's own encoding is not the service's stall.
    const bytes = Buffer.from(deploy.content);
    delay.reset();
    delay.enable();
    await writeFile(join(dir, 'flags.json'), bytes);
    const event = await served;
    // The listeners of flags.changed (webhooks, SSE, flagd streams) run after it: their work counts too.
    await new Promise((resolve) => setTimeout(resolve, AFTER_SERVING_MS));
    delay.disable();
    windows.push({
      label: deploy.label,
      from: event.snapshot.fetchedAt,
      to: event.snapshot.loadedAt,
      stallNs: delay.max,
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000 - AFTER_SERVING_MS));
  }
  const samples = await results;
  const latencies = (from: number, to: number): number[] =>
    samples
      .filter(([sentAt, latency]) => latency >= 0 && sentAt <= to && sentAt + latency >= from)
      .map(([, l]) => l);
  const calm = latencies(loadStart + 500, loadStart + CALM_SECONDS * 1000);
  const calmP99 = percentile(calm, 99);
  const failed = samples.filter(([, latency]) => latency < 0).length;
  console.log(
    `calm: ${calm.length} evaluations, p50 ${percentile(calm, 50).toFixed(2)} ms, p99 ${calmP99.toFixed(2)} ms; failed ${failed} of ${samples.length}`,
  );
  for (const w of windows) {
    const during = latencies(w.from, w.to);
    const p99 = percentile(during, 99);
    console.log(
      `deploy, ${w.label}: loaded in ${w.to - w.from} ms after the fetch; longest event-loop stall from the write ` +
        `to ${AFTER_SERVING_MS} ms after serving ${ms(w.stallNs)} ms; ${during.length} evaluations in flight while loading, p99 ${p99.toFixed(2)} ms ` +
        `(${(p99 / calmP99).toFixed(2)}x calm), max ${Math.max(0, ...during).toFixed(1)} ms`,
    );
  }

  // Baseline: the same compile, unsliced, as every deploy ran before.
  const before = performance.now();
  compileFlagDocument(deploys[0].content, { limits: { maxBytes: 32 * 1024 * 1024 } });
  console.log(
    `baseline: synchronous compile of the ${FLAGS}-flag document: one stall of ${(performance.now() - before).toFixed(0)} ms`,
  );

  // The 20 MB metadata string.
  const blob = JSON.stringify({
    flags: {
      [key]: {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        metadata: { notes: 'x'.repeat(20_000_000) },
      },
    },
  });
  const loaded = new Promise<FlagsChangedEvent | ConfigRejectedEvent>((resolve) => {
    events.once(PollerEvent.FLAGS_CHANGED, resolve);
    events.once(PollerEvent.CONFIG_REJECTED, resolve);
  });
  const blobBytes = Buffer.from(blob);
  delay.reset();
  delay.enable();
  const started = Date.now();
  await writeFile(join(dir, 'flags.json'), blobBytes);
  const outcome = await loaded;
  delay.disable();
  console.log(
    `20 MB metadata string, DOCUMENT_MAX_BYTES raised above it: ${'snapshot' in outcome ? 'served' : 'rejected'} ` +
      `${Date.now() - started} ms after the write; longest event-loop stall ${ms(delay.max)} ms`,
  );
  const bytes = Buffer.from(blob);
  const tooLarge = performance.now();
  const refused = compileFlagDocument(bytes);
  console.log(
    `20 MB bytes against the default limit in the engine: ${refused.ok ? 'accepted' : refused.errors[0].code} in ${(performance.now() - tooLarge).toFixed(2)} ms`,
  );

  await app.close();
  await rm(dir, { recursive: true, force: true });
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
