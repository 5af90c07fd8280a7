import { get } from 'node:http';
import request from 'supertest';
import { startFlagService, type RunningFlagService } from './flag-service-harness';

const KEY = 'stream-token-test-key';
const FLAGS = { flags: { banner: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' } } };

/** The status of GET `path` with no headers, as an EventSource opens it (the stream itself is left at once). */
function openStatus(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = get(`${base}${path}`, (response) => {
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    call.on('error', reject);
  });
}

describe('the eventStreams URL with API_KEYS: a source-scoped token an EventSource can use (OFREP ADR-0008)', () => {
  let service: RunningFlagService;
  beforeAll(async () => {
    service = await startFlagService({ flags: FLAGS, other: FLAGS }, { API_KEYS: KEY });
  });
  afterAll(() => service?.close());

  const streamUri = async (source?: string): Promise<string> => {
    const call = request(service.url).post('/ofrep/v1/evaluate/flags').set('authorization', `Bearer ${KEY}`);
    if (source !== undefined) void call.set('x-flagfleet-source', source);
    const bulk = await call.send({ context: {} }).expect(200);
    return (bulk.body as { eventStreams: Array<{ endpoint: { requestUri: string } }> }).eventStreams[0]
      .endpoint.requestUri;
  };

  it('hands out a URL that opens the stream of its source without a header, and never carries the key', async () => {
    const uri = await streamUri();
    expect(uri).toMatch(/^\/events\/stream\?source=local%2Flocal%2Fflags&token=v1\.\d+\.[\w-]+$/);
    expect(uri).not.toContain(KEY);
    expect(await openStatus(service.url, uri)).toBe(200);
    // Without the token, or with one changed, the stream still needs a key.
    expect(await openStatus(service.url, '/events/stream?source=local%2Flocal%2Fflags')).toBe(401);
    expect(await openStatus(service.url, `${uri.slice(0, -3)}AAA`)).toBe(401);
  });

  it('is bound to its source: the token of one does not open another, nor any other route', async () => {
    const uri = await streamUri('local/local/other');
    const token = new URL(uri, service.url).searchParams.get('token')!;
    expect(await openStatus(service.url, uri)).toBe(200);
    expect(await openStatus(service.url, `/events/stream?source=local%2Flocal%2Fflags&token=${token}`)).toBe(
      401,
    );
    await request(service.url)
      .post(`/ofrep/v1/evaluate/flags?token=${token}`)
      .send({ context: {} })
      .expect(401);
    // The bulk answer is the same within a token window: its ETag still answers 304.
    const first = await request(service.url)
      .post('/ofrep/v1/evaluate/flags')
      .set('authorization', `Bearer ${KEY}`)
      .send({ context: {} })
      .expect(200);
    await request(service.url)
      .post('/ofrep/v1/evaluate/flags')
      .set('authorization', `Bearer ${KEY}`)
      .set('if-none-match', first.headers.etag as string)
      .send({ context: {} })
      .expect(304);
  });
});
