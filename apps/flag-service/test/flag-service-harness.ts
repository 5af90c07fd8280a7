import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PollerStatus } from '@flagfleet/appconfig-poller';
import { FlagdServers, type UnaryTransport } from '@flagfleet/flagd-protocol';
import { waitFor } from '../../../test/support/wait-for';
import { ServiceConfig } from '../src/config';
import { createFlagService, ofrepHandlerOf } from '../src/create-flag-service';

export interface RunningFlagService {
  readonly app: NestFastifyApplication;
  /** http://127.0.0.1:<port> (https with TLS_CERT_FILE) */
  readonly url: string;
  readonly flagsDir: string;
  /** 127.0.0.1:<port> of flagd's evaluation (v1 + v2) and sync listeners (ephemeral ports). */
  readonly flagdEvaluation: string;
  readonly flagdSync: string;
  /** Requests the OFREP handler (the only OFREP path) answered so far: tests assert it served them. */
  ofrepServed(): number;
  /** Unary flagd calls admitted so far by each transport (the gRPC fast path, connect-node). */
  flagdServed(): Readonly<Record<UnaryTransport, number>>;
  /** JSON log lines written so far. */
  logs(): string;
  writeFlags(profile: string, document: unknown): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real service, in-process, on the embedded default: a temp FLAGS_DIR served by the in-process
 * emulator, memory store, listening on an ephemeral port; resolves once every source is loaded.
 */
export async function startFlagService(
  profiles: Record<string, unknown>,
  env: Record<string, string> = {},
  options: { waitReady?: boolean } = {},
): Promise<RunningFlagService> {
  const flagsDir = await mkdtemp(join(tmpdir(), 'flagfleet-service-'));
  const write = (profile: string, document: unknown): Promise<void> =>
    writeFile(
      join(flagsDir, `${profile}.json`),
      typeof document === 'string' ? document : JSON.stringify(document),
    );
  for (const [profile, document] of Object.entries(profiles)) await write(profile, document);
  let output = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const config = ServiceConfig.fromEnv({
    FLAGS_DIR: flagsDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    // Tests never bind flagd's default ports: each service gets ephemeral ones.
    FLAGD_EVALUATION_PORT: '0',
    FLAGD_SYNC_PORT: '0',
    ...env,
  });
  const app = await createFlagService(config, { logDestination: destination });
  await app.listen(0, '127.0.0.1');
  const status = app.get(PollerStatus);
  // Without waitReady: wait for the default source only (tests of a source that never loads).
  const ready =
    options.waitReady === false
      ? await waitFor(() => status.sources()[0].snapshotLoaded, { timeoutMs: 10_000 })
      : await status.whenReady(10_000);
  if (!ready) {
    // Closed here: a service left listening would keep Jest from exiting after the failure.
    await app.close();
    await rm(flagsDir, { recursive: true, force: true });
    throw new Error(`flag service did not load its sources:\n${output}`);
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const flagd = app.get(FlagdServers);
  return {
    app,
    url: `${config.http.tls === null ? 'http' : 'https'}://127.0.0.1:${port}`,
    flagsDir,
    flagdEvaluation: `127.0.0.1:${flagd.port('evaluation') ?? 0}`,
    flagdSync: `127.0.0.1:${flagd.port('sync') ?? 0}`,
    ofrepServed: () => ofrepHandlerOf(app).served,
    flagdServed: () => flagd.unaryServed(),
    logs: () => output,
    writeFlags: write,
    async close() {
      await app.close();
      await rm(flagsDir, { recursive: true, force: true });
    },
  };
}

/** Example flags covering each evaluation outcome the endpoints map. */
export const SERVICE_FLAGS = {
  flags: {
    'kill-switch': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      metadata: { owner: 'ops' },
    },
    'banner-color': {
      state: 'ENABLED',
      variants: { red: 'red', blue: 'blue' },
      defaultVariant: 'red',
      targeting: { if: [{ ends_with: [{ var: 'email' }, '@example.com'] }, 'blue', null] },
    },
    'retry-limit': { state: 'ENABLED', variants: { low: 3, high: 10 }, defaultVariant: 'low' },
    theme: {
      state: 'ENABLED',
      variants: { dark: { mode: 'dark' }, light: { mode: 'light' } },
      defaultVariant: 'light',
    },
    'legacy-ui': { state: 'DISABLED', variants: { on: true, off: false }, defaultVariant: 'off' },
    'no-default': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      targeting: { if: [{ '==': [{ var: 'plan' }, 'pro'] }, 'on', null] },
    },
    'broken-rule': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [true, 'missing-variant', 'off'] },
    },
  },
};

/** AppConfig's own feature-flag format (a second profile). */
export const APPCONFIG_FLAGS = {
  'dark-mode': { enabled: true, rollout: 'all', weight: 3, regions: ['eu', 'us'] },
  'beta-search': { enabled: false },
};

/**
 * For a suite that polls the emulator through APPCONFIG_SOURCES: outside the embedded default the SDK's
 * credential chain applies, and the emulator accepts any keys. Sets them for the suite and restores them after.
 */
export function useEmulatorCredentials(): void {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
  });
  afterAll(() => {
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = saved.id;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  });
}
