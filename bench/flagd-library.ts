/**
 * Library choice for the flagd listeners: the same unary ResolveBoolean answered by a
 * @connectrpc/connect-node server (h2c) and by a @grpc/grpc-js server, called by the same @grpc/grpc-js
 * client (what the flagd providers use) at a fixed concurrency, interleaved rounds.
 * `npx tsx bench/flagd-library.ts`
 */
import { createServer } from 'node:http2';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { Service } from '../libs/flagd-protocol/src/gen/flagd/evaluation/v2/evaluation_pb';

const PROTO = { includeDirs: [join(__dirname, '../libs/flagd-protocol/proto')], longs: String, oneofs: true };
const CALLS = Number(process.env.FLAGD_LIBRARY_CALLS ?? 20_000);
const CONCURRENCY = Number(process.env.FLAGD_LIBRARY_CONCURRENCY ?? 64);
const ANSWER = { value: true, reason: 'STATIC', variant: 'on', metadata: { owner: 'ops' } };

type ServiceCtor = typeof grpc.Client & { service: grpc.ServiceDefinition };

function serviceCtor(): ServiceCtor {
  const root = grpc.loadPackageDefinition(loadSync('flagd/evaluation/v2/evaluation.proto', PROTO));
  let node: unknown = root;
  for (const part of ['flagd', 'evaluation', 'v2', 'Service']) node = (node as Record<string, unknown>)[part];
  return node as ServiceCtor;
}

async function connectServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer(
    connectNodeAdapter({ routes: (router) => router.service(Service, { resolveBoolean: () => ANSWER }) }),
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

async function grpcJsServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = new grpc.Server();
  const metadata = { fields: { owner: { stringValue: 'ops' } } };
  server.addService(serviceCtor().service, {
    ResolveBoolean: (_call: unknown, callback: grpc.sendUnaryData<object>) =>
      callback(null, { ...ANSWER, metadata }),
  });
  const port = await new Promise<number>((done, fail) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? fail(error) : done(bound),
    ),
  );
  return { port, close: () => new Promise((done) => server.tryShutdown(() => done())) };
}

async function rate(port: number): Promise<number> {
  const Client = serviceCtor();
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = (): Promise<void> =>
    new Promise((done, fail) =>
      (
        client as unknown as Record<string, (r: object, cb: (e: Error | null) => void) => void>
      ).ResolveBoolean({ flagKey: 'kill-switch' }, (error) => (error ? fail(error) : done())),
    );
  for (let i = 0; i < 500; i++) await call(); // warm-up
  let issued = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued++ < CALLS) await call();
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  client.close();
  return CALLS / seconds;
}

export async function flagdLibraryBench(): Promise<{ connect: number; grpcJs: number }> {
  const connect = await connectServer();
  const grpcJs = await grpcJsServer();
  const results = { connect: [] as number[], grpcJs: [] as number[] };
  try {
    for (let round = 0; round < 3; round++) {
      results.connect.push(await rate(connect.port));
      results.grpcJs.push(await rate(grpcJs.port));
    }
  } finally {
    await Promise.all([connect.close(), grpcJs.close()]);
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[1];
  return { connect: median(results.connect), grpcJs: median(results.grpcJs) };
}

if (require.main === module) {
  flagdLibraryBench().then(({ connect, grpcJs }) => {
    console.log(
      `unary ResolveBoolean, grpc-js client, ${CONCURRENCY} in flight, ${CALLS} calls, median of 3: ` +
        `connect-node ${connect.toFixed(0)} req/s, grpc-js ${grpcJs.toFixed(0)} req/s (ratio ${(connect / grpcJs).toFixed(2)})`,
    );
  });
}
