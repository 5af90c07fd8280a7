/**
 * flagd protocols on the built service (embedded default, one process):
 * - RPC `ResolveBoolean` (gRPC) against OFREP single-flag (autocannon) on the same service, interleaved
 *   rounds: requests/s and server CPU per request. RPC is driven by a lean node:http2 client in its own
 *   process (bench/grpc-load-generator.ts), so that the server is measured, and once more by
 *   @grpc/grpc-js, the client the providers use (which costs more CPU per call than the server);
 *   server CPU per request against a bare gRPC server is bench/service.ts's `flagd` workload;
 * - the in-process evaluation rate of a client synced over SyncFlags (@openfeature/flagd-provider);
 * - sync fan-out: from a new revision loaded by the service to the last of 1,000 open SyncFlags streams.
 * `npm run bench -- flagd`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { OpenFeature } from '@openfeature/server-sdk';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { SERVICE_MAIN } from '../test/support/service-process';
import { freePort } from '../test/support/free-port';
import { processCpuSeconds } from './process-cpu';
import { resolveBooleanRequest } from './grpc-call';
import { LoadGenerator } from './load-process';

const ROUNDS = 3;
const WINDOW_S = Number(process.env.FLAGD_BENCH_WINDOW_S ?? 5);
const IN_FLIGHT = 32;
const STREAMS = Number(process.env.FLAGD_BENCH_STREAMS ?? 1000);
const CHANNELS = 10;
const PROTO = { includeDirs: [join(__dirname, '../libs/flagd-protocol/proto')], longs: String, oneofs: true };

function document(version: number): object {
  return {
    flags: {
      'kill-switch': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' },
      'new-checkout': {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        targeting: { if: [{ ends_with: [{ var: 'email' }, '@example.com'] }, 'on', null] },
      },
      version: { state: 'ENABLED', variants: { current: version }, defaultVariant: 'current' },
    },
  };
}

type Ctor = typeof grpc.Client;
function ctor(file: string, path: string[]): Ctor {
  let node: unknown = grpc.loadPackageDefinition(loadSync(file, PROTO));
  for (const part of path) node = (node as Record<string, unknown>)[part];
  return node as Ctor;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('the service exited');
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error('the service did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ofrepRound(url: string, pid: number): Promise<{ rate: number; cpuUs: number }> {
  const cpu = processCpuSeconds(pid);
  const result = await autocannon({
    url: `${url}/ofrep/v1/evaluate/flags/kill-switch`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"context":{"targetingKey":"user-1"}}',
    connections: IN_FLIGHT,
    duration: WINDOW_S,
  });
  const total = result.requests.total;
  return { rate: total / WINDOW_S, cpuUs: ((processCpuSeconds(pid) - cpu) / total) * 1e6 };
}

const RPC_PATH = '/flagd.evaluation.v2.Service/ResolveBoolean';
const RPC_REQUEST = Buffer.from(resolveBooleanRequest('kill-switch', { targetingKey: 'user-1' })).toString(
  'base64',
);

async function leanRpcRound(
  generator: LoadGenerator,
  port: number,
  pid: number,
): Promise<{ rate: number; cpuUs: number }> {
  const run = await generator.run(
    { pid, port, path: RPC_PATH },
    { bodies: [RPC_REQUEST], connections: IN_FLIGHT, rate: 0, seconds: WINDOW_S },
  );
  if (run.errors > 0) throw new Error(`${run.errors} RPCs failed`);
  return { rate: run.completed / run.seconds, cpuUs: run.cpuPerRequest * 1e6 };
}

async function grpcJsRound(port: number, pid: number): Promise<{ rate: number; cpuUs: number }> {
  const Client = ctor('flagd/evaluation/v2/evaluation.proto', ['flagd', 'evaluation', 'v2', 'Service']);
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const resolve = (client as unknown as Record<string, (r: object, cb: (e: Error | null) => void) => void>)
    .ResolveBoolean;
  const call = (): Promise<void> =>
    new Promise((done, fail) =>
      resolve.call(
        client,
        { flagKey: 'kill-switch', context: { fields: { targetingKey: { stringValue: 'user-1' } } } },
        (e) => (e ? fail(e) : done()),
      ),
    );
  for (let i = 0; i < 200; i++) await call();
  const cpu = processCpuSeconds(pid);
  const end = Date.now() + WINDOW_S * 1000;
  let total = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (Date.now() < end) {
        await call();
        total++;
      }
    }),
  );
  const cpuUs = ((processCpuSeconds(pid) - cpu) / total) * 1e6;
  client.close();
  return { rate: total / WINDOW_S, cpuUs };
}

async function inProcessRate(syncPort: number): Promise<number> {
  await OpenFeature.setProviderAndWait(
    'bench',
    new FlagdProvider({ host: '127.0.0.1', port: syncPort, resolverType: 'in-process' }),
  );
  const client = OpenFeature.getClient('bench');
  const n = 200_000;
  for (let i = 0; i < 5_000; i++)
    await client.getBooleanValue('new-checkout', false, { email: `u${i}@example.com` });
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++)
    await client.getBooleanValue('new-checkout', false, {
      targetingKey: `u${i}`,
      email: `u${i}@example.${i % 2 ? 'com' : 'org'}`,
    });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await OpenFeature.close();
  return n / seconds;
}

async function fanOut(
  url: string,
  syncPort: number,
  flagsDir: string,
): Promise<{ fromLoad: number; fromWrite: number }> {
  const Client = ctor('flagd/sync/v1/sync.proto', ['flagd', 'sync', 'v1', 'FlagSyncService']);
  // Separate connections (local subchannel pools), STREAMS / CHANNELS streams each.
  const clients = Array.from(
    { length: CHANNELS },
    () =>
      new Client(`127.0.0.1:${syncPort}`, grpc.credentials.createInsecure(), {
        'grpc.use_local_subchannel_pool': 1,
      }),
  );
  const received: number[][] = Array.from({ length: STREAMS }, () => []);
  const streams: grpc.ClientReadableStream<unknown>[] = [];
  let firstMessages = 0;
  for (let i = 0; i < STREAMS; i++) {
    const client = clients[i % CHANNELS] as unknown as Record<
      string,
      (r: object) => grpc.ClientReadableStream<unknown>
    >;
    const stream = client.SyncFlags.call(clients[i % CHANNELS], {});
    stream.on('data', () => {
      if (received[i].length === 0) firstMessages++;
      received[i].push(Date.now());
    });
    stream.on('error', () => undefined);
    streams.push(stream);
  }
  const deadline = Date.now() + 60_000;
  while (firstMessages < STREAMS) {
    if (Date.now() > deadline) throw new Error(`only ${firstMessages} of ${STREAMS} streams opened`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const writtenAt = Date.now();
  await writeFile(join(flagsDir, 'flags.json'), JSON.stringify(document(2)));
  while (received.some((times) => times.length < 2)) {
    if (Date.now() > deadline + 30_000) throw new Error('not every stream got the new revision');
    await new Promise((r) => setTimeout(r, 5));
  }
  const last = Math.max(...received.map((times) => times[1]));
  const status = (await (await fetch(`${url}/status`)).json()) as {
    sources: Array<{ loadedAt: string | null }>;
  };
  const loadedAt = Date.parse(status.sources[0].loadedAt ?? '');
  for (const stream of streams) stream.cancel();
  for (const client of clients) client.close();
  return { fromLoad: last - loadedAt, fromWrite: last - writtenAt };
}

async function main(): Promise<void> {
  const flagsDir = await mkdtemp(join(tmpdir(), 'flagfleet-flagd-bench-'));
  await writeFile(join(flagsDir, 'flags.json'), JSON.stringify(document(1)));
  const [port, evaluationPort, syncPort] = [await freePort(), await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  const child = spawn(process.execPath, [SERVICE_MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      FLAGS_DIR: flagsDir,
      LOG_LEVEL: 'warn',
      FLAGD_EVALUATION_PORT: String(evaluationPort),
      FLAGD_SYNC_PORT: String(syncPort),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitReady(url, child);
    const pid = child.pid as number;
    const ofrep: Array<{ rate: number; cpuUs: number }> = [];
    const rpc: Array<{ rate: number; cpuUs: number }> = [];
    const grpcJs: Array<{ rate: number; cpuUs: number }> = [];
    const generator = LoadGenerator.start('grpc-load-generator.ts');
    try {
      await leanRpcRound(generator, evaluationPort, pid); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which goes first, so drift in machine load favours neither.
        if (round % 2 === 0) {
          ofrep.push(await ofrepRound(url, pid));
          rpc.push(await leanRpcRound(generator, evaluationPort, pid));
        } else {
          rpc.push(await leanRpcRound(generator, evaluationPort, pid));
          ofrep.push(await ofrepRound(url, pid));
        }
        grpcJs.push(await grpcJsRound(evaluationPort, pid));
      }
    } finally {
      await generator.stop();
    }
    const median = (values: number[]): number =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const ofrepRate = median(ofrep.map((r) => r.rate));
    const rpcRate = median(rpc.map((r) => r.rate));
    const ofrepCpu = median(ofrep.map((r) => r.cpuUs));
    const rpcCpu = median(rpc.map((r) => r.cpuUs));
    const grpcJsRate = median(grpcJs.map((r) => r.rate));
    const grpcJsCpu = median(grpcJs.map((r) => r.cpuUs));
    console.log(
      `node ${process.version}; ${cpus().length} CPUs; load average ${load} at start; ${ROUNDS} interleaved rounds of ${WINDOW_S} s, ${IN_FLIGHT} in flight`,
    );
    console.log(
      `  OFREP single (autocannon): ${ofrepRate.toFixed(0)} req/s, server CPU ${ofrepCpu.toFixed(1)} µs/request`,
    );
    console.log(
      `  flagd RPC ResolveBoolean (node:http2 client, one connection): ${rpcRate.toFixed(0)} req/s, server CPU ${rpcCpu.toFixed(1)} µs/request`,
    );
    console.log(
      `  RPC / OFREP: ${(rpcRate / ofrepRate).toFixed(2)}x requests/s (target >= 0.8), ${(ofrepCpu / rpcCpu).toFixed(2)}x CPU efficiency`,
    );
    console.log(
      `  flagd RPC ResolveBoolean (@grpc/grpc-js client in the benchmark process, as providers call): ${grpcJsRate.toFixed(0)} req/s, server CPU ${grpcJsCpu.toFixed(1)} µs/request`,
    );
    const rate = await inProcessRate(syncPort);
    console.log(
      `  in-process (flagd provider 0.16, synced over SyncFlags): ${rate.toFixed(0)} evaluations/s with targeting`,
    );
    const fan = await fanOut(url, syncPort, flagsDir);
    console.log(
      `  sync fan-out to ${STREAMS} streams on ${CHANNELS} connections: last stream ${fan.fromLoad} ms after the revision loaded (${fan.fromWrite} ms after the file was written, including the poll)`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(flagsDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
