/**
 * `npx tsx bench/service.ts` (after `npm run build`): the BUILT flag service (a child process, embedded
 * default, 20 targeted flags) against a bare node:http server answering the same bytes (bench/bare-server.ts,
 * also a child process), measured in the same run with autocannon, 50 connections:
 *  1. single-flag OFREP throughput ratio (target >= 0.8),
 *  2. p99 latency at a steady 2,000 requests/s, ratio (target <= 2x),
 *  3. bulk OFREP (20 targeted flags) throughput ratio against the bare server answering the bulk bytes (target >= 0.5),
 *     with one context, then with 1,000 different contexts (different users, emails, plans, versions).
 * Each comparison alternates bare and service runs for BENCH_ROUNDS rounds and prints the median ratio and
 * its range: the machine is shared, and alternating rounds keep a burst of other work from landing on one side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/support/free-port';
import { SERVICE_MAIN as MAIN } from '../test/support/service-process';

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const STEADY_RATE = 2000;
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
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 20_000;
  while (!(await ready().catch(() => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${args.join(' ')} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

interface Run {
  rps: number;
  p99: number;
  errors: number;
}

interface CannonOptions {
  overallRate?: number;
  duration?: number;
  /** Bodies sent in turn, one per request; CONTEXT when absent. */
  bodies?: readonly string[];
}

async function cannon(url: string, options: CannonOptions = {}): Promise<Run> {
  const { bodies } = options;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: options.duration ?? DURATION_S,
    overallRate: options.overallRate,
    headers: { 'content-type': 'application/json' },
    body: CONTEXT,
    // Prepared once and cycled through by every connection: varying the body costs the load generator nothing.
    requests: bodies?.map((body) => ({ method: 'POST', body })),
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

interface Comparison {
  service: Run[];
  bare: Run[];
  /** Per round: service / bare of `measure`. */
  ratios: number[];
}

/** Alternating rounds of the bare server and the service under the same load. */
async function compare(
  serviceUrl: string,
  bareUrl: string,
  measure: (run: Run) => number,
  options: CannonOptions = {},
): Promise<Comparison> {
  const comparison: Comparison = { service: [], bare: [], ratios: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const bare = await cannon(bareUrl, options);
    const service = await cannon(serviceUrl, options);
    comparison.bare.push(bare);
    comparison.service.push(service);
    comparison.ratios.push(measure(service) / Math.max(measure(bare), 1));
  }
  return comparison;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const ratio = (n: number): string => n.toFixed(2);

/** `0.81 (0.79–0.83 over 3 rounds)` */
function spread(ratios: readonly number[]): string {
  return `${ratio(median(ratios))} (${ratio(Math.min(...ratios))}–${ratio(Math.max(...ratios))} over ${ratios.length} rounds)`;
}

function throughput(label: string, comparison: Comparison): void {
  console.log(
    `${label}: service ${fmt(median(comparison.service.map((run) => run.rps)))} requests/s, bare node:http ${fmt(median(comparison.bare.map((run) => run.rps)))} requests/s (medians)`,
  );
  console.log(`service vs bare node:http, ${label}: ${spread(comparison.ratios)} of requests/s`);
}

async function main(): Promise<void> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const dir = await mkdtemp(join(tmpdir(), 'flagfleet-bench-'));
  const children: ChildProcess[] = [];
  try {
    await writeFile(join(dir, 'flags.json'), JSON.stringify(benchFlags()));
    const servicePort = await freePort();
    const service = `http://127.0.0.1:${servicePort}`;
    children.push(
      await spawnReady(
        [MAIN],
        { ...process.env, PORT: String(servicePort), HOST: '127.0.0.1', FLAGS_DIR: dir, LOG_LEVEL: 'warn' },
        async () => (await fetch(`${service}/health/ready`)).status === 200,
      ),
    );
    const single = `${service}/ofrep/v1/evaluate/flags/flag-00`;
    const bulk = `${service}/ofrep/v1/evaluate/flags`;
    const post = async (url: string): Promise<Buffer> =>
      Buffer.from(
        await (
          await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: CONTEXT })
        ).arrayBuffer(),
      );
    const singleBody = await post(single);
    const bulkBody = await post(bulk);
    const bare = async (body: Buffer): Promise<{ url: string; child: ChildProcess }> => {
      const file = join(dir, `body-${body.length}.json`);
      await writeFile(file, body);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/`;
      const child = await spawnReady(
        ['--import', 'tsx', join(__dirname, 'bare-server.ts'), String(port), file],
        process.env,
        async () => {
          return (await fetch(url, { method: 'POST', body: '{}' })).status === 200;
        },
      );
      children.push(child);
      return { url, child };
    };
    const bareSingle = await bare(singleBody);
    const bareBulk = await bare(bulkBody);

    // Warm-up: JIT both servers before anything is measured.
    const varied = variedContexts(VARIED_CONTEXTS);
    await cannon(single, { duration: 2 });
    await cannon(bareSingle.url, { duration: 2 });
    await cannon(bulk, { duration: 2, bodies: varied });

    const rps = (run: Run): number => run.rps;
    const p99 = (run: Run): number => run.p99;
    const singleRuns = await compare(single, bareSingle.url, rps);
    const steadyRuns = await compare(single, bareSingle.url, p99, { overallRate: STEADY_RATE });
    const bulkRuns = await compare(bulk, bareBulk.url, rps);
    const variedRuns = await compare(bulk, bareBulk.url, rps, { bodies: varied });

    const all = [singleRuns, steadyRuns, bulkRuns, variedRuns].flatMap((c) => [...c.service, ...c.bare]);
    const errors = all.reduce((sum, run) => sum + run.errors, 0);
    console.log(
      `node ${process.version}; ${CONNECTIONS} connections; ${ROUNDS} alternating rounds of ${DURATION_S} s per comparison; single body ${singleBody.length} B, bulk body ${bulkBody.length} B (20 targeted flags)`,
    );
    throughput('single flag', singleRuns);
    console.log(
      `steady ${STEADY_RATE} requests/s: service p99 ${median(steadyRuns.service.map(p99))} ms, bare p99 ${median(steadyRuns.bare.map(p99))} ms (medians)`,
    );
    console.log(`service vs bare node:http, p99 at ${STEADY_RATE} requests/s: ${spread(steadyRuns.ratios)}x`);
    throughput('bulk 20 flags', bulkRuns);
    throughput(`bulk 20 flags, ${VARIED_CONTEXTS} different contexts`, variedRuns);
    console.log(`errors/non-2xx/timeouts across all runs: ${errors}`);
  } finally {
    await Promise.all(children.map(stop));
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
