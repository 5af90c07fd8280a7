/**
 * The page of test/browser/cors.e2e-spec.ts, bundled by esbuild for the browser: OpenFeature's web SDK with the
 * OFREP web provider, as a web app on another origin uses them. `page.startFlags` sets the provider and reports
 * what the page's flags answer, then again on every change the provider hears of (the eventStreams SSE).
 */
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';

export interface PageState {
  ready: boolean;
  error: string | null;
  banner: boolean;
  color: string;
  changes: number;
}

/** What the page puts on its global object for the test to call and read (the test bundle has no DOM types). */
export interface FlagPage {
  startFlags(options: { baseUrl: string; apiKey?: string }): Promise<PageState>;
  flagState: PageState;
}

const page = globalThis as unknown as FlagPage & { document: { body: { textContent: string } } };
page.flagState = { ready: false, error: null, banner: false, color: 'default', changes: 0 };

function read(): void {
  const client = OpenFeature.getClient();
  page.flagState.banner = client.getBooleanValue('banner', false);
  page.flagState.color = client.getStringValue('color', 'default');
  page.document.body.textContent = JSON.stringify(page.flagState, null, 2);
}

page.startFlags = async ({ baseUrl, apiKey }) => {
  await OpenFeature.setContext({ targetingKey: 'user-1', email: 'ada@example.com' });
  const provider = new OFREPWebProvider({
    baseUrl,
    cacheMode: 'disabled',
    headers: apiKey === undefined ? [] : [['Authorization', `Bearer ${apiKey}`]],
  });
  OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, () => {
    page.flagState.changes += 1;
    read();
  });
  try {
    await OpenFeature.setProviderAndWait(provider);
    page.flagState.ready = true;
  } catch (error) {
    page.flagState.error = String(error);
  }
  read();
  return page.flagState;
};
