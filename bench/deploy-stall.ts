/**
 * What a deploy costs the replica that loads it, for both document formats. The service runs in this process
 * (embedded default, FLAGS_DIR in a temp folder) so that the event loop it measures is the service's, while a paced
 * load generator in its own process (bench/timed-load.ts) evaluates one targeted flag at a fixed rate. Deploys of
 * 10,000 realistic flags: flagd's format (every flag changed, then one), then an AppConfig profile of multi-variant
 * flags as AppConfigData serves it (Ion: all new, every flag changed, one), then the AppConfig authoring document
 * that the embedded emulator converts itself. For each: the turn of the event loop whose main thread used the most
 * CPU (CPU, not wall time: the machine is shared), the longest event-loop delay, and the p99 of evaluations in flight
 * while it loads against a calm window's. Baseline in the same run, per format: a synchronous compile of the same
 * document, as one task (what every deploy cost before compiles were sliced). Then the 20 MB metadata string:
 * refused before it is read with the default limits, and, if an operator raised DOCUMENT_MAX_BYTES above it, the
 * longest stall while it is parsed.
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
import { retrievalFormats } from '../libs/appconfig-emulator/src/feature-flags/retrieval-format';
import type * as ConfigModule from '../apps/flag-service/src/config';
import type * as ServiceModule from '../apps/flag-service/src/create-flag-service';
import { mainThreadCpuMs, watchEventLoop, type EventLoopStalls } from '../test/support/event-loop-stalls';
import { percentile } from '../test/support/fleet';
import {
  realisticAppConfigDocument,
  realisticAppConfigIon,
  realisticFlags,
} from '../test/support/realistic-flags';
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
const MAX_BYTES = 32 * 1024 * 1024;
const CALM_SECONDS = 3;
const AFTER_SERVING_MS = 1_000;
/** A multi-variant AppConfig flag (three rules); the flagd documents carry a copy of a targeted flag under its key. */
const KEY = 'search_feature_1';
const CONTEXT = JSON.stringify({
  context: {
    targetingKey: 'user-4711',
    userId: 'user-4711',
    plan: 'pro',
    email: 'ada@growth-3.example.com',
    appVersion: '2.4.1',
    country: 'AT',
    beta: false,
  },
});

const flagdDocument = (salt: number, edit?: (flags: Record<string, object>) => void): Buffer => {
  const flags = realisticFlags(FLAGS, salt);
  flags[KEY] = flags['search.feature-1'];
  edit?.(flags);
  return Buffer.from(JSON.stringify({ flags }));
};
/** The Ion document with its first flag's last rule edited. */
const oneIonFlagEdited = (content: Buffer): Buffer =>
  Buffer.from(content.toString().replace('(eq $beta true)', '(eq $beta false)'));
const ms = (value: number): string => value.toFixed(1);

interface Deploy {
  readonly format: 'flagd' | 'AppConfig';
  readonly label: string;
  readonly content: Buffer;
}

interface Measured extends Deploy, EventLoopStalls {
  readonly from: number;
  readonly to: number;
}

/** A synchronous compile of `content`: the main thread's CPU and the wall time of that one task. */
function synchronousCompile(content: Buffer): { cpuMs: number; wallMs: number } {
  const cpu = mainThreadCpuMs();
  const started = performance.now();
  const outcome = compileFlagDocument(content, { limits: { maxBytes: MAX_BYTES } });
  if (!outcome.ok) throw new Error(`the baseline did not compile: ${outcome.errors[0].message}`);
  return { cpuMs: mainThreadCpuMs() - cpu, wallMs: performance.now() - started };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'flagfleet-deploy-stall-'));
  const file = join(dir, 'flags.json');
  const first = flagdDocument(1);
  await writeFile(file, first);
  const config = ServiceConfig.fromEnv({
    FLAGS_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    // No fixed ports on a shared machine; no flagd client is measured here.
    FLAGD_EVALUATION_PORT: 'off',
    FLAGD_SYNC_PORT: 'off',
    // 10,000 realistic flags are more than the 4 MiB default.
    DOCUMENT_MAX_BYTES: String(MAX_BYTES),
  });
  const app = await createFlagService(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const events = app.get(EventEmitter2);
  if (!(await app.get(PollerStatus).whenReady(120_000))) throw new Error('the first document did not load');

  const flagd2 = flagdDocument(2);
  const ion2 = realisticAppConfigIon(FLAGS, 2);
  const deploys: Deploy[] = [
    { format: 'flagd', label: 'every flag changed', content: flagd2 },
    {
      format: 'flagd',
      label: 'one flag changed',
      content: flagdDocument(2, (flags) => (flags[KEY] = { ...flags[KEY], defaultVariant: 'on' })),
    },
    { format: 'AppConfig', label: 'all flags new (from flagd)', content: realisticAppConfigIon(FLAGS, 1) },
    { format: 'AppConfig', label: 'every flag changed', content: ion2 },
    { format: 'AppConfig', label: 'one flag changed', content: oneIonFlagEdited(ion2) },
    {
      format: 'AppConfig',
      label: 'authoring document, converted by the embedded emulator',
      content: realisticAppConfigDocument(FLAGS, 3),
    },
  ];
  console.log(
    `${FLAGS} realistic flags: flagd ${(first.length / 1e6).toFixed(1)} MB, AppConfig multi-variant (Ion) ` +
      `${(ion2.length / 1e6).toFixed(1)} MB; load ${RATE} requests/s on POST /ofrep/v1/evaluate/flags/${KEY}; ` +
      `node ${process.version}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );

  const loader = fork(join(__dirname, 'timed-load.ts'), [], { execArgv: ['--import', 'tsx'] });
  // Long enough to cover every deploy on a loaded machine (each takes 3-10 s there).
  const seconds = CALM_SECONDS + deploys.length * 12;
  const results = new Promise<TimedLoadResult>((resolve) =>
    loader.once('message', (m: TimedLoadResult) => resolve(m)),
  );
  loader.send({
    port,
    path: `/ofrep/v1/evaluate/flags/${KEY}`,
    body: CONTEXT,
    rate: RATE,
    seconds,
  } satisfies TimedLoadJob);
  const loadStart = Date.now();
  await new Promise((resolve) => setTimeout(resolve, CALM_SECONDS * 1000));
  const measured: Measured[] = [];
  for (const deploy of deploys) {
    const served = new Promise<FlagsChangedEvent>((resolve) =>
      events.once(PollerEvent.FLAGS_CHANGED, resolve),
    );
    const watch = watchEventLoop();
    await writeFile(file, deploy.content);
    const event = await served;
    // The listeners of flags.changed (webhooks, SSE, the in-process gap warning) run after it: their work counts too.
    await new Promise((resolve) => setTimeout(resolve, AFTER_SERVING_MS));
    measured.push({
      ...deploy,
      ...watch.stop(),
      from: event.snapshot.fetchedAt,
      to: event.snapshot.loadedAt,
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

  // Baselines: the same documents compiled unsliced, as every deploy ran before; and the emulator's conversion.
  const baselines = { flagd: synchronousCompile(flagd2), AppConfig: synchronousCompile(ion2) };
  for (const [format, baseline] of Object.entries(baselines))
    console.log(
      `baseline, ${format}: synchronous compile of the ${FLAGS}-flag document, every flag changed: one task of ` +
        `${baseline.cpuMs} ms main-thread CPU (${baseline.wallMs.toFixed(0)} ms wall)`,
    );
  const authoring = deploys[deploys.length - 1].content;
  const conversionCpu = mainThreadCpuMs();
  retrievalFormats(authoring, 'application/json');
  console.log(
    `embedded emulator: retrievalFormats of the ${FLAGS}-flag authoring document (not sliced): one task of ` +
      `${mainThreadCpuMs() - conversionCpu} ms main-thread CPU`,
  );
  for (const m of measured) {
    const during = latencies(m.from, m.to);
    const p99 = percentile(during, 99);
    const baseline = baselines[m.format];
    console.log(
      `deploy, ${m.format}, ${m.label}: busiest event-loop turn ${m.busiest.cpuMs} ms main-thread CPU ` +
        `(${(m.busiest.cpuMs / baseline.cpuMs).toFixed(2)}x the synchronous compile; ${ms(m.busiest.wallMs)} ms wall), ` +
        `longest delay ${ms(m.monitoredMaxMs)} ms, ${m.gapsOver20Ms} turns over 20 ms; loaded in ${m.to - m.from} ms ` +
        `after the fetch; ${during.length} evaluations in flight, p99 ${p99.toFixed(2)} ms (${(p99 / calmP99).toFixed(2)}x calm)`,
    );
  }

  // The 20 MB metadata string.
  const blob = JSON.stringify({
    flags: {
      [KEY]: {
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
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = Date.now();
  await writeFile(file, blobBytes);
  const outcome = await loaded;
  delay.disable();
  console.log(
    `20 MB metadata string, DOCUMENT_MAX_BYTES raised above it: ${'snapshot' in outcome ? 'served' : 'rejected'} ` +
      `${Date.now() - started} ms after the write; longest event-loop stall ${ms(delay.max / 1e6)} ms`,
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
