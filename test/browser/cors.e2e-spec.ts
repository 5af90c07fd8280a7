import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { launchChromium, type Chromium } from '../support/chromium';
import { startService, type ServiceProcess } from '../support/service-process';
import type { FlagPage, PageState } from './ofrep-page';

/**
 * Issue 22, browsers on other origins: the OFREP web provider in headless Chromium, on a page served from
 * another origin than the built service's, with CORS_ORIGINS naming that origin. Without CORS the provider's
 * preflight got 404 and every flag answered its default. The screenshot of the page is left under test-output/.
 */
const API_KEY = 'browser-test-key';
const SCREENSHOTS = resolve(__dirname, '../../test-output/browser');

const document = (color: 'blue' | 'green') => ({
  flags: {
    banner: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
    color: {
      state: 'ENABLED',
      variants: { blue: 'blue', green: 'green', red: 'red' },
      defaultVariant: 'red',
      targeting: { if: [{ ends_with: [{ var: 'email' }, '@example.com'] }, color, 'red'] },
    },
  },
});

interface PageServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** A web app's origin: an HTML page and its bundle (the web SDK and the OFREP web provider). */
async function servePage(bundle: string): Promise<PageServer> {
  const server: Server = createServer((request, response) => {
    if (request.url === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(bundle);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><html><body>loading</body><script src="/page.js"></script></html>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

describe('browsers on other origins (CORS_ORIGINS), the built service', () => {
  jest.setTimeout(90_000);
  let flagsDir: string;
  let allowedPage: PageServer;
  let foreignPage: PageServer;
  let open: ServiceProcess;
  let keyed: ServiceProcess;
  let browser: Chromium;

  beforeAll(async () => {
    flagsDir = await mkdtemp(join(tmpdir(), 'flagfleet-cors-'));
    await writeFile(join(flagsDir, 'flags.json'), JSON.stringify(document('blue')));
    const bundled = await build({
      entryPoints: [join(__dirname, 'ofrep-page.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const bundle = bundled.outputFiles[0].text;
    [allowedPage, foreignPage] = await Promise.all([servePage(bundle), servePage(bundle)]);
    const env = { FLAGS_DIR: flagsDir, CORS_ORIGINS: `http://example.invalid, ${allowedPage.origin}` };
    [open, keyed, browser] = await Promise.all([
      startService({ name: 'open', env }),
      startService({ name: 'keyed', env: { ...env, API_KEYS: API_KEY } }),
      launchChromium(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([open?.kill(), keyed?.kill(), allowedPage?.close(), foreignPage?.close()]);
    await rm(flagsDir, { recursive: true, force: true });
  });

  const preflight = (service: ServiceProcess, origin: string, path = '/ofrep/v1/evaluate/flags') =>
    fetch(`${service.url}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  describe('headers', () => {
    it('answers a preflight from an allowed origin, for OFREP, the agent API and SSE, before the key check', async () => {
      for (const path of [
        '/ofrep/v1/evaluate/flags',
        '/ofrep/v1/evaluate/flags/color',
        '/applications/local/environments/local/configurations/flags',
        '/events/stream',
      ]) {
        const answer = await preflight(keyed, allowedPage.origin, path);
        expect([path, answer.status]).toEqual([path, 204]);
        expect(answer.headers.get('access-control-allow-origin')).toBe(allowedPage.origin);
        expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
        const allowed = answer.headers.get('access-control-allow-headers') ?? '';
        for (const header of [
          'authorization',
          'x-api-key',
          'if-none-match',
          'content-type',
          'connect-protocol-version',
        ])
          expect(allowed).toContain(header);
        expect(answer.headers.get('vary')).toBe('Origin');
      }
    });

    it('gives a foreign origin no Access-Control-Allow-Origin, on a preflight or an answer', async () => {
      const answer = await preflight(open, foreignPage.origin);
      expect(answer.status).toBe(204);
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      const evaluated = await fetch(`${open.url}/ofrep/v1/evaluate/flags/banner`, {
        method: 'POST',
        headers: { origin: foreignPage.origin, 'content-type': 'application/json' },
        body: '{"context":{}}',
      });
      expect(evaluated.status).toBe(200);
      expect(evaluated.headers.get('access-control-allow-origin')).toBeNull();
      expect(evaluated.headers.get('vary')).toBe('Origin');
    });

    it('lets the page read answers: OFREP (ETag exposed), a 401, the agent API and the SSE stream', async () => {
      const origin = allowedPage.origin;
      const bulk = await fetch(`${open.url}/ofrep/v1/evaluate/flags`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: '{"context":{"targetingKey":"u"}}',
      });
      expect(bulk.status).toBe(200);
      expect(bulk.headers.get('access-control-allow-origin')).toBe(origin);
      expect(bulk.headers.get('access-control-expose-headers')).toContain('etag');
      expect(bulk.headers.get('etag')).not.toBeNull();
      const refused = await fetch(`${keyed.url}/ofrep/v1/evaluate/flags/banner`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
      const agent = await fetch(`${open.url}/applications/local/environments/local/configurations/flags`, {
        headers: { origin },
      });
      expect(agent.status).toBe(200);
      expect(agent.headers.get('access-control-allow-origin')).toBe(origin);
      const controller = new AbortController();
      const stream = await fetch(`${open.url}/events/stream`, {
        headers: { origin },
        signal: controller.signal,
      });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('access-control-allow-origin')).toBe(origin);
      controller.abort();
    });
  });

  describe('the OFREP web provider in headless Chromium', () => {
    const startFlags = async (pageOrigin: string, service: ServiceProcess, apiKey?: string) => {
      const page = await browser.open(`${pageOrigin}/`);
      const state = await page.evaluate(
        (options) => (globalThis as unknown as FlagPage).startFlags(options),
        apiKey === undefined ? { baseUrl: service.url } : { baseUrl: service.url, apiKey },
      );
      return { page, state: state satisfies PageState };
    };

    it('evaluates from an allowed origin and hears of a change over the eventStreams SSE', async () => {
      const { page, state } = await startFlags(allowedPage.origin, open);
      expect(state).toMatchObject({ ready: true, error: null, banner: true, color: 'blue' });
      await writeFile(join(flagsDir, 'flags.json'), JSON.stringify(document('green')));
      const flagState = () => (globalThis as unknown as FlagPage).flagState;
      await page.waitFor(
        (color) => (globalThis as unknown as FlagPage).flagState.color === color,
        'green',
        20_000,
      );
      expect((await page.evaluate(flagState, null)).changes).toBeGreaterThan(0);
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot(join(SCREENSHOTS, 'ofrep-web-provider.png'));
      await page.close();
      await writeFile(join(flagsDir, 'flags.json'), JSON.stringify(document('blue')));
    });

    it('with API_KEYS: evaluates with the key in a header, hears of a change through the stream token, and is refused without the key', async () => {
      const withKey = await startFlags(allowedPage.origin, keyed, API_KEY);
      expect(withKey.state).toMatchObject({ ready: true, error: null, banner: true });
      // An EventSource sends no header: the eventStreams URL carries a token for the source (before: 401 for ever).
      const next = withKey.state.color === 'green' ? 'blue' : 'green';
      await writeFile(join(flagsDir, 'flags.json'), JSON.stringify(document(next)));
      await withKey.page.waitFor(
        (color) => (globalThis as unknown as FlagPage).flagState.color === color,
        next,
        20_000,
      );
      await writeFile(join(flagsDir, 'flags.json'), JSON.stringify(document('blue')));
      const withoutKey = await startFlags(allowedPage.origin, keyed);
      expect(withoutKey.state).toMatchObject({ ready: false, banner: false, color: 'default' });
      expect(withoutKey.state.error).not.toBeNull();
      await Promise.all([withKey.page.close(), withoutKey.page.close()]);
    });

    it('from an origin not in CORS_ORIGINS, the browser keeps the answers from the page: every flag its default', async () => {
      const { page, state } = await startFlags(foreignPage.origin, open);
      expect(state).toMatchObject({ ready: false, banner: false, color: 'default' });
      expect(state.error).not.toBeNull();
      await page.close();
    });
  });
});
