/**
 * `npx tsx bench/service.ts` (after `npm run build`): the BUILT flag service (a child process, embedded
 * default, 20 targeted flags) against a bare node:http server that parses the JSON body and answers the
 * same bytes (bench/bare-server.ts, also a child process), for three workloads: single flag, bulk of 20
 * targeted flags, bulk with 1,000 different contexts; and (workload `flagd`) the service's flagd RPC
 * ResolveBoolean (gRPC, the evaluation port) against a bare node:http2 server that decodes the request and
 * answers fixed gRPC bytes (bench/bare-grpc-server.ts), both driven by bench/grpc-load-generator.ts.
 *
 * Primary figure: the server's CPU time per request (user + system of its process, all threads, from
 * /proc/<pid>/stat) at a fixed offered load that neither side saturates, as bare/service; with it the p99
 * latency at that load. Secondary: the requests/s ratio when both are saturated, which on a small shared
 * machine measures contention with the load generator as much as cost. The load generator
 * (bench/load-generator.ts) runs in its own process. Each workload alternates bare and service runs
 * (bare first in even rounds, service first in odd ones) and prints medians and ranges, with the load
 * average, so that every figure states its conditions.
 *
 * Settings (environment): BENCH_ROUNDS (5), BENCH_DURATION_SECONDS (5: fixed-load window per run),
 * BENCH_RATE (4000 requests/s), BENCH_THROUGHPUT_SECONDS (3; 0 skips the saturation runs),
 * BENCH_WORKLOADS (`single,bulk,varied,flagd`: which to run; `fastify` adds a plain Fastify route against bare), BENCH_SERVICE_NODE_ARGS (extra `node` arguments
 * for the service, e.g. `--single-threaded-gc`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port';
import { SERVICE_MAIN as MAIN } from '../test/support/service-process';
import type { LoadJob } from './load-generator';
import { LoadGenerator, stop, type Run, type Target } from './load-process';
import { processCpuSeconds } from './process-cpu';
import { grpcAnswer, resolveBooleanRequest } from './grpc-call';

const setting = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0`);
  return value;
};
const ROUNDS = Math.max(1, setting('BENCH_ROUNDS', 5));
const SECONDS = setting('BENCH_DURATION_SECONDS', 5);
const RATE = setting('BENCH_RATE', 4000);
const THROUGHPUT_SECONDS = setting('BENCH_THROUGHPUT_SECONDS', 3);
const WORKLOADS = (process.env.BENCH_WORKLOADS ?? 'single,bulk,varied,flagd').split(',');
const SERVICE_NODE_ARGS = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** Enough idle connections at the fixed load that a pause of either side queues requests, not connections. */
const FIXED_LOAD_CONNECTIONS = 32;
const THROUGHPUT_CONNECTIONS = 50;
const WARM_UP_SECONDS = 2;
/**
 * The service polls its embedded source as a deployment polls AppConfig (AWS's default interval), not
 * every second as the embedded default does for editing: the idle line prints what polling costs.
 */
const POLL_INTERVAL_SECONDS = 60;
const IDLE_SECONDS = 3;
const VARIED_CONTEXTS = 1000;

/** 20 flags that all run targeting rules (email domain, plan, sem_ver, fractional, country). */
function benchFlags(): object {
  const flags: Record<string, object> = {};
  const rules = [
    { if: [{ ends_with: [{ var: 'email' }, '@example.com'] }, 'on', 'off'] },
    { if: [{ in: [{ var: 'plan' }, ['pro', 'enterprise']] }, 'on', null] },
    { if: [{ sem_ver: [{ var: 'appVersion' }, '>=', '2.1.0'] }, 'on', 'off'] },
    {
      fractional: [
        ['on', 30],
        ['off', 70],
      ],
    },
    {
      if: [
        { and: [{ '==': [{ var: 'country' }, 'DE'] }, { starts_with: [{ var: 'email' }, 'ada'] }] },
        'on',
        null,
      ],
    },
  ];
  for (let i = 0; i < 20; i++) {
    flags[`flag-${String(i).padStart(2, '0')}`] = {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: rules[i % rules.length],
    };
  }
  return { flags };
}

const CONTEXT = JSON.stringify({
  context: {
    targetingKey: 'user-4711',
    email: 'ada@example.com',
    plan: 'pro',
    appVersion: '2.3.1',
    country: 'DE',
  },
});

/** Request bodies of different users: every rule of benchFlags() sees both of its outcomes. */
function variedContexts(count: number): string[] {
  const plans = ['free', 'pro', 'enterprise'];
  const countries = ['DE', 'FR', 'US'];
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      context: {
        targetingKey: `user-${100_000 + i}`,
        email: `${i % 2 === 0 ? 'ada' : 'bob'}${i}@${i % 3 === 0 ? 'example.org' : 'example.com'}`,
        plan: plans[i % plans.length],
        appVersion: `2.${i % 4}.${i % 7}`,
        country: countries[i % countries.length],
      },
    }),
  );
}

async function spawnReady(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: () => Promise<boolean>,
): Promise<ChildProcess> {
  // stderr is kept (the service's banner and warnings would interleave with the figures) and shown on failure.
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const deadline = Date.now() + 30_000;
  while (!(await ready().catch(() => false))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`${args.join(' ')} did not start:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

interface Workload {
  readonly label: string;
  /** What is measured against bare: the flag service, or (BENCH_WORKLOADS=fastify) a plain Fastify route. */
  readonly subject: string;
  readonly service: Target;
  readonly bare: Target;
  readonly bodies: readonly string[];
  /** The load generator of a workload in another protocol than HTTP/1.1 (flagd RPC: gRPC). */
  readonly generator?: LoadGenerator;
}

interface Pairs {
  readonly service: Run[];
  readonly bare: Run[];
}

/** ROUNDS alternating pairs of runs of the same job: bare first in even rounds, service first in odd ones. */
async function alternate(
  defaultGenerator: LoadGenerator,
  workload: Workload,
  job: Omit<LoadJob, 'port' | 'path' | 'bodies'>,
): Promise<Pairs> {
  const pairs: Pairs = { service: [], bare: [] };
  const generator = workload.generator ?? defaultGenerator;
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['bare', 'service'] as const) : (['service', 'bare'] as const);
    for (const side of order) {
      pairs[side].push(await generator.run(workload[side], { ...job, bodies: workload.bodies }));
    }
  }
  return pairs;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const whole = (n: number): string => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits = 2): string => n.toFixed(digits);
const signed = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;

/** `0.81 (0.79–0.83 over 5 rounds)` */
function spread(values: readonly number[], format: (n: number) => string = fixed): string {
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))} over ${values.length} rounds)`;
}

function perRound(pairs: Pairs, measure: (service: Run, bare: Run) => number): number[] {
  return pairs.service.map((service, round) => measure(service, pairs.bare[round]));
}

const loadAverage = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

async function measureWorkload(generator: LoadGenerator, workload: Workload): Promise<Run[]> {
  // Warm-up: JIT both servers on this workload's path before anything is measured.
  for (const side of ['bare', 'service'] as const) {
    await (workload.generator ?? generator).run(workload[side], {
      bodies: workload.bodies,
      connections: THROUGHPUT_CONNECTIONS,
      rate: 0,
      seconds: WARM_UP_SECONDS,
    });
  }
  const loadAtStart = loadAverage();
  const fixedLoad = await alternate(generator, workload, {
    connections: FIXED_LOAD_CONNECTIONS,
    rate: RATE,
    seconds: SECONDS,
  });
  const us = (run: Run): number => run.cpuPerRequest * 1e6;
  console.log(`\n${workload.label} (load average at start ${loadAtStart}, at end ${loadAverage()}):`);
  console.log(
    `  server CPU per request at ${whole(RATE)} requests/s: bare ${fixed(median(fixedLoad.bare.map(us)), 1)} µs, ${workload.subject} ${fixed(median(fixedLoad.service.map(us)), 1)} µs (medians)`,
  );
  console.log(
    `  bare/${workload.subject} CPU per request: ${spread(perRound(fixedLoad, (service, bare) => bare.cpuPerRequest / service.cpuPerRequest))}`,
  );
  console.log(
    `  p99 at ${whole(RATE)} requests/s: bare ${fixed(median(fixedLoad.bare.map((run) => run.p99Ms)))} ms, ${workload.subject} ${fixed(median(fixedLoad.service.map((run) => run.p99Ms)))} ms (medians); ${workload.subject} − bare ${spread(
      perRound(fixedLoad, (service, bare) => service.p99Ms - bare.p99Ms),
      (n) => `${signed(n)} ms`,
    )}`,
  );
  const runs = [...fixedLoad.service, ...fixedLoad.bare];
  const achieved = Math.min(...runs.map((run) => run.completed / run.seconds / RATE));
  if (achieved < 0.98)
    console.log(`  WARNING: a run reached only ${fixed(achieved)} of the offered load: it saturated`);
  if (THROUGHPUT_SECONDS > 0) {
    const saturated = await alternate(generator, workload, {
      connections: THROUGHPUT_CONNECTIONS,
      rate: 0,
      seconds: THROUGHPUT_SECONDS,
    });
    const rps = (run: Run): number => run.completed / run.seconds;
    console.log(
      `  secondary, saturated (${THROUGHPUT_CONNECTIONS} connections, ${THROUGHPUT_SECONDS} s runs): ${workload.subject} ${whole(median(saturated.service.map(rps)))}, bare ${whole(median(saturated.bare.map(rps)))} requests/s (medians); ${workload.subject}/bare ${spread(perRound(saturated, (service, bare) => rps(service) / rps(bare)))} of requests/s`,
    );
    runs.push(...saturated.service, ...saturated.bare);
  }
  return runs;
}

async function main(): Promise<void> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const dir = await mkdtemp(join(tmpdir(), 'flagfleet-bench-'));
  const children: ChildProcess[] = [];
  const generator = LoadGenerator.start();
  const grpcGenerator = WORKLOADS.includes('flagd')
    ? LoadGenerator.start('grpc-load-generator.ts')
    : undefined;
  try {
    await writeFile(join(dir, 'flags.json'), JSON.stringify(benchFlags()));
    const servicePort = await freePort();
    // The flagd evaluation listener only for the flagd workload, so the HTTP figures keep their set-up.
    const flagdPort = grpcGenerator === undefined ? undefined : await freePort();
    const service = await spawnReady(
      [...SERVICE_NODE_ARGS, MAIN],
      {
        ...process.env,
        PORT: String(servicePort),
        HOST: '127.0.0.1',
        FLAGS_DIR: dir,
        LOG_LEVEL: 'warn',
        EMBEDDED_POLL_INTERVAL_SECONDS: String(POLL_INTERVAL_SECONDS),
        FLAGD_EVALUATION_PORT: flagdPort === undefined ? 'off' : String(flagdPort),
        FLAGD_SYNC_PORT: 'off',
      },
      async () => (await fetch(`http://127.0.0.1:${servicePort}/health/ready`)).status === 200,
    );
    children.push(service);
    const serviceTarget = (path: string): Target => ({ pid: service.pid!, port: servicePort, path });
    const single = serviceTarget('/ofrep/v1/evaluate/flags/flag-00');
    const bulk = serviceTarget('/ofrep/v1/evaluate/flags');
    const answer = async (target: Target): Promise<Buffer> => {
      const url = `http://127.0.0.1:${target.port}${target.path}`;
      const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: CONTEXT };
      return Buffer.from(await (await fetch(url, init)).arrayBuffer());
    };
    const singleAnswer = await answer(single);
    const bulkAnswer = await answer(bulk);
    const baseline = async (server: string, body: Buffer): Promise<Target> => {
      const file = join(dir, `body-${body.length}.json`);
      await writeFile(file, body);
      const port = await freePort();
      const child = await spawnReady(
        ['--import', 'tsx', join(__dirname, server), String(port), file],
        process.env,
        async () => (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' })).status === 200,
      );
      children.push(child);
      return { pid: child.pid!, port, path: '/' };
    };
    const bareSingle = await baseline('bare-server.ts', singleAnswer);
    const bareBulk = await baseline('bare-server.ts', bulkAnswer);

    console.log(
      `node ${process.version}; ${cpus().length} CPUs; load average ${loadAverage()} (1, 5, 15 min) at start; ` +
        `${ROUNDS} alternating rounds per workload; fixed load ${whole(RATE)} requests/s for ${SECONDS} s over ${FIXED_LOAD_CONNECTIONS} connections; ` +
        `load generator in its own process; single answer ${singleAnswer.length} B, bulk answer ${bulkAnswer.length} B (20 targeted flags)`,
    );
    // CPU that does not depend on the load (timers, the poller's scheduler): part of every figure below.
    const idle = async (pid: number): Promise<string> => {
      const before = processCpuSeconds(pid);
      await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
      return fixed(((processCpuSeconds(pid) - before) * 1000) / IDLE_SECONDS, 1);
    };
    const [serviceIdle, bareIdle] = await Promise.all([idle(service.pid!), idle(bareSingle.pid)]);
    console.log(
      `idle CPU over ${IDLE_SECONDS} s: service ${serviceIdle} ms/s (embedded source polled every ${POLL_INTERVAL_SECONDS} s), bare ${bareIdle} ms/s`,
    );
    const workloads: Record<string, Workload> = {
      single: {
        label: 'single flag',
        subject: 'service',
        service: single,
        bare: bareSingle,
        bodies: [CONTEXT],
      },
      bulk: { label: 'bulk 20 flags', subject: 'service', service: bulk, bare: bareBulk, bodies: [CONTEXT] },
      varied: {
        label: `bulk 20 flags, ${whole(VARIED_CONTEXTS)} different contexts`,
        subject: 'service',
        service: bulk,
        bare: bareBulk,
        bodies: variedContexts(VARIED_CONTEXTS),
      },
    };
    if (grpcGenerator !== undefined && flagdPort !== undefined) {
      const path = '/flagd.evaluation.v2.Service/ResolveBoolean';
      const request = resolveBooleanRequest('flag-00', (JSON.parse(CONTEXT) as { context: object }).context);
      const file = join(dir, 'grpc-answer.bin');
      await writeFile(file, await grpcAnswer(flagdPort, path, request));
      const barePort = await freePort();
      const bare = await spawnReady(
        ['--import', 'tsx', join(__dirname, 'bare-grpc-server.ts'), String(barePort), file],
        process.env,
        async () => (await grpcAnswer(barePort, path, request)).length > 0,
      );
      children.push(bare);
      workloads.flagd = {
        label: 'flagd RPC ResolveBoolean (gRPC, one HTTP/2 connection), single flag',
        subject: 'service',
        service: { pid: service.pid!, port: flagdPort, path },
        bare: { pid: bare.pid!, port: barePort, path },
        bodies: [Buffer.from(request).toString('base64')],
        generator: grpcGenerator,
      };
    }
    if (WORKLOADS.includes('fastify')) {
      workloads.fastify = {
        label: 'plain Fastify route, single-flag answer (no flag service)',
        subject: 'fastify',
        service: await baseline('fastify-server.ts', singleAnswer),
        bare: bareSingle,
        bodies: [CONTEXT],
      };
    }
    let errors = 0;
    for (const name of WORKLOADS) {
      const workload = workloads[name];
      if (workload === undefined) throw new Error(`BENCH_WORKLOADS: unknown workload ${name}`);
      const runs = await measureWorkload(generator, workload);
      errors += runs.reduce((sum, run) => sum + run.errors, 0);
    }
    console.log(`\nerrors (non-2xx answers, failed connections) across all runs: ${errors}`);
    console.log(`load average at end: ${loadAverage()}`);
  } finally {
    await generator.stop();
    await grpcGenerator?.stop();
    await Promise.all(children.map(stop));
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
