import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PollerStatus } from '@flagfleet/appconfig-poller';
import { AppModule } from '../src/app.module';
import { ServiceConfig } from '../src/config';
import { ServiceLogger } from '../src/observability/service-logger';
import { ofrepHandlerOf } from '../src/create-flag-service';
import { SERVICE_FLAGS } from './flag-service-harness';

const ADMIN_KEY = 'admin-key-for-composition';

/**
 * The composition root is Nest's: AppModule alone, created by a bare NestFactory.create (none of
 * createFlagService's steps, no sources opened before it), opens its sources and has the error filter, the
 * hardened JSON parser, the key check and the OFREP handler, because each is a provider.
 */
describe('AppModule composes the whole HTTP service by itself', () => {
  let app: NestFastifyApplication;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flagfleet-composition-'));
    await writeFile(join(dir, 'flags.json'), JSON.stringify(SERVICE_FLAGS));
    const config = ServiceConfig.fromEnv({
      FLAGS_DIR: dir,
      ADMIN_API_KEYS: ADMIN_KEY,
      FLAGD_EVALUATION_PORT: '0',
      FLAGD_SYNC_PORT: '0',
    });
    const logger = new ServiceLogger('warn', new Writable({ write: (_c, _e, done) => done() }));
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(config, logger),
      new FastifyAdapter(),
      { logger: false, bodyParser: false },
    );
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    expect(await app.get(PollerStatus).whenReady(10_000)).toBe(true);
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers errors through the filter provider: problem details on an unknown route', async () => {
    const answer = await fetch(`${url}/nope`);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it("checks keys in onRequest and parses JSON with the service's parser (HttpPipeline)", async () => {
    const admin = `${url}/admin/webhooks/subscriptions`;
    const noKey = await fetch(admin, {
      method: 'POST',
      body: '{bad',
      headers: { 'content-type': 'application/json' },
    });
    expect([noKey.status, await noKey.text()]).toEqual([401, '']);
    const bad = await fetch(admin, {
      method: 'POST',
      body: '{bad',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/^invalid JSON body: /);
  });

  it('makes global only the modules every part reads (core, config, metrics, the seam, the store)', () => {
    const global = [...app.get(ModulesContainer).values()]
      .filter((module) => module.isGlobal)
      .map((module) => module.metatype.name)
      .filter((name) => !['InternalCoreModule', 'EventEmitterModule'].includes(name));
    expect(global.sort()).toEqual([
      'ConfigStoreModule',
      'CoreModule',
      'ObservabilityModule',
      'ServiceConfigModule',
      'ServingModule',
    ]);
  });

  it('serves OFREP through the one OFREP handler', async () => {
    const before = ofrepHandlerOf(app).served;
    const answer = await fetch(`${url}/ofrep/v1/evaluate/flags/kill-switch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"context":{}}',
    });
    expect(answer.status).toBe(200);
    expect(ofrepHandlerOf(app).served).toBe(before + 1);
  });
});
