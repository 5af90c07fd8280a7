import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { waitFor } from '../../../test/support/wait-for';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

const flag = (value: string) => ({
  flags: { greeting: { state: 'ENABLED', variants: { v: value }, defaultVariant: 'v' } },
});

/** The embedded default follows FLAGS_DIR while running: files added become sources, removed ones go. */
describe('embedded default: profiles added to and removed from FLAGS_DIR while running', () => {
  let service: RunningFlagService;

  beforeAll(async () => {
    service = await startFlagService({ flags: SERVICE_FLAGS });
  });
  afterAll(() => service?.close());

  const evaluate = (source: string) =>
    request(service.url)
      .post('/ofrep/v1/evaluate/flags/greeting')
      .set('X-Flagfleet-Source', source)
      .send({ context: {} });
  const sources = async (): Promise<string[]> =>
    (await request(service.url).get('/status').expect(200)).body.sources.map(
      (s: { source: string }) => s.source,
    );

  it('serves a new <profile>.json without a restart, and stops serving it once removed', async () => {
    const before = await evaluate('local/local/extra');
    expect(before.status).toBe(400);
    expect(before.body.errorDetails).toContain('unknown source');

    await service.writeFlags('extra', flag('hello'));
    const served = await waitFor(
      async () => ((await evaluate('local/local/extra')).status === 200 ? true : false),
      {
        timeoutMs: 10_000,
        message: 'the new source answering',
      },
    );
    expect(served).toBe(true);
    expect((await evaluate('local/local/extra')).body).toMatchObject({ key: 'greeting', value: 'hello' });
    expect(await sources()).toEqual(['local/local/flags', 'local/local/extra']);
    expect(service.logs()).toContain('new source local/local/extra from extra.json');

    // Edits to the new file deploy like any other.
    await service.writeFlags('extra', flag('bonjour'));
    await waitFor(async () => (await evaluate('local/local/extra')).body.value === 'bonjour', {
      timeoutMs: 10_000,
      message: 'the edit served',
    });

    await rm(join(service.flagsDir, 'extra.json'));
    await waitFor(async () => (await evaluate('local/local/extra')).status === 400, {
      timeoutMs: 10_000,
      message: 'the removed source gone',
    });
    expect(await sources()).toEqual(['local/local/flags']);
    expect(service.logs()).toContain('source local/local/extra removed: its file is gone; no longer served');
    await request(service.url).post('/ofrep/v1/evaluate/flags/kill-switch').send({ context: {} }).expect(200);

    // And back again.
    await service.writeFlags('extra', flag('again'));
    await waitFor(async () => (await evaluate('local/local/extra')).body.value === 'again', {
      timeoutMs: 10_000,
      message: 'the file back',
    });
  });

  it('stays ready when a new file does not validate, and keeps the default source when its file goes', async () => {
    await service.writeFlags('broken', '{"flags": {"x": {"state": "ON"}}}');
    await waitFor(async () => (await sources()).includes('local/local/broken'), {
      timeoutMs: 10_000,
      message: 'the broken source listed',
    });
    await request(service.url).get('/health/ready').expect(200);
    const answer = await evaluate('local/local/broken');
    expect(answer.status).toBe(503);

    await rm(join(service.flagsDir, 'flags.json'));
    await waitFor(() => service.logs().includes("the default source's file is gone"), {
      timeoutMs: 10_000,
      message: 'the warning',
    });
    await request(service.url).post('/ofrep/v1/evaluate/flags/kill-switch').send({ context: {} }).expect(200);
    await service.writeFlags('flags', SERVICE_FLAGS);
  });
});
