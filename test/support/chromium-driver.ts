/**
 * Run as its own process by chromium.ts (puppeteer-core is an ES module, which Jest's module system cannot load):
 * headless Chromium driven by puppeteer-core, one request per IPC message, answered with its id.
 */
import puppeteer, { type Page } from 'puppeteer-core';
import type { ChromiumRequest, ChromiumReply } from './chromium';

async function main(): Promise<void> {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_EXECUTABLE,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    timeout: 30_000,
  });
  const pages = new Map<number, Page>();
  let nextPage = 0;
  const page = (id: number): Page => {
    const found = pages.get(id);
    if (found === undefined) throw new Error(`no page ${id}`);
    return found;
  };
  const call = (fn: string, arg: unknown) => `(${fn})(${JSON.stringify(arg)})`;
  const handle = async (request: ChromiumRequest): Promise<unknown> => {
    switch (request.op) {
      case 'open': {
        const opened = await browser.newPage();
        await opened.goto(request.url);
        pages.set(++nextPage, opened);
        return nextPage;
      }
      case 'evaluate':
        return page(request.page).evaluate(call(request.fn, request.arg));
      case 'waitFor':
        await page(request.page).waitForFunction(call(request.fn, request.arg), {
          timeout: request.timeoutMs,
        });
        return null;
      case 'screenshot':
        await page(request.page).screenshot({ path: request.path });
        return null;
      case 'close':
        await page(request.page).close();
        pages.delete(request.page);
        return null;
      case 'quit':
        await browser.close();
        return null;
    }
  };
  process.on('message', (request: ChromiumRequest) => {
    handle(request).then(
      (value) => process.send?.({ id: request.id, value } satisfies ChromiumReply),
      (error: Error) => process.send?.({ id: request.id, error: error.message } satisfies ChromiumReply),
    );
  });
  process.send?.({ id: 0, value: 'ready' } satisfies ChromiumReply);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
