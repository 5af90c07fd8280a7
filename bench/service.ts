/**
 * `npx tsx bench/service.ts` (after `npm run build`): the BUILT flag service (a child process, embedded
 * default, 20 targeted flags) against a bare node:http server answering the same bytes (bench/bare-server.ts,
 * also a child process), measured in the same run with autocannon, 50 connections:
 *  1. single-flag OFREP throughput ratio (target >= 0.8),
 *  2. p99 latency at a steady 2,000 requests/s, ratio (target <= 2x),
 *  3. bulk OFREP (20 targeted flags) throughput ratio against the bare server answering the bulk bytes (target >= 0.5).
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
const DURATION_S = Number(process.env.BENCH_DURATION_SECONDS ?? 8);
const STEADY_RATE = 2000;

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

async function cannon(url: string, options: { overallRate?: number; duration?: number } = {}): Promise<Run> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: options.duration ?? DURATION_S,
    overallRate: options.overallRate,
    headers: { 'content-type': 'application/json' },
    body: CONTEXT,
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
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
    await cannon(single, { duration: 2 });
    await cannon(bareSingle.url, { duration: 2 });
    await cannon(bulk, { duration: 2 });

    const bareRun = await cannon(bareSingle.url);
    const serviceRun = await cannon(single);
    const bareSteady = await cannon(bareSingle.url, { overallRate: STEADY_RATE });
    const serviceSteady = await cannon(single, { overallRate: STEADY_RATE });
    const bareBulkRun = await cannon(bareBulk.url);
    const serviceBulkRun = await cannon(bulk);

    const errors = [bareRun, serviceRun, bareSteady, serviceSteady, bareBulkRun, serviceBulkRun].reduce(
      (sum, run) => sum + run.errors,
      0,
    );
    const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
    console.log(
      `node ${process.version}; ${CONNECTIONS} connections; ${DURATION_S} s per run; single body ${singleBody.length} B, bulk body ${bulkBody.length} B (20 targeted flags)`,
    );
    console.log(
      `single flag: service ${fmt(serviceRun.rps)} requests/s, bare node:http ${fmt(bareRun.rps)} requests/s`,
    );
    console.log(
      `service vs bare node:http, single flag: ${(serviceRun.rps / bareRun.rps).toFixed(2)} of requests/s`,
    );
    console.log(
      `steady ${STEADY_RATE} requests/s: service ${fmt(serviceSteady.rps)} requests/s p99 ${serviceSteady.p99} ms, bare p99 ${bareSteady.p99} ms`,
    );
    console.log(
      `service vs bare node:http, p99 at ${STEADY_RATE} requests/s: ${(serviceSteady.p99 / Math.max(bareSteady.p99, 1)).toFixed(2)}x`,
    );
    console.log(
      `bulk (20 targeted flags): service ${fmt(serviceBulkRun.rps)} requests/s, bare node:http ${fmt(bareBulkRun.rps)} requests/s`,
    );
    console.log(
      `service vs bare node:http, bulk 20 flags: ${(serviceBulkRun.rps / bareBulkRun.rps).toFixed(2)} of requests/s`,
    );
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
