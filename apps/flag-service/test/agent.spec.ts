import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import {
  APPCONFIG_FLAGS,
  SERVICE_FLAGS,
  startFlagService,
  type RunningFlagService,
} from './flag-service-harness';

const FLAGD = '/applications/local/environments/local/configurations/flags';
const APPCONFIG = '/applications/local/environments/local/configurations/appflags';
const UI = '/applications/local/environments/local/configurations/ui';
// AWS's documented multi-variant example (the CreateHostedConfigurationVersion page): QA, Beta Testers, a 10 % split.
const AWS_UI_REFRESH = JSON.parse(
  readFileSync(resolve(__dirname, '../../../libs/flag-engine/test/fixtures/aws-ui-refresh.json'), 'utf8'),
) as unknown;

let service: RunningFlagService;

beforeAll(async () => {
  service = await startFlagService({ flags: SERVICE_FLAGS, appflags: APPCONFIG_FLAGS, ui: AWS_UI_REFRESH });
});
afterAll(() => service?.close());

describe('AppConfig Agent compatible endpoint', () => {
  it('answers an AppConfig feature-flag profile as the evaluated {key: {enabled, ...attributes}} map', async () => {
    const answer = await request(service.url).get(APPCONFIG).expect(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['configuration-version']).toMatch(/^\S+$/);
    expect(answer.body).toEqual({
      'dark-mode': { enabled: true, regions: ['eu', 'us'], rollout: 'all', weight: 3 },
      'beta-search': { enabled: false },
    });
  });

  it("answers AWS's multi-variant example per Context header as the agent documents it", async () => {
    const answer = (context: string[]) => {
      let call = request(service.url).get(UI);
      for (const header of context) call = call.set('Context', header);
      return call.expect(200).then((response) => response.body as unknown);
    };
    expect(await answer(['email=jane_doe@qa-testers.mycompany.com'])).toEqual({
      ui_refresh: { _variant: 'QA', dark_mode_support: true, enabled: true },
    });
    expect(await answer(['email=jane_doe@example.org', 'opted_in_to_beta=false'])).toEqual({
      ui_refresh: { _variant: 'Beta Testers', dark_mode_support: true, enabled: true },
    });
    // Without context: the default variant, disabled, so without attributes.
    expect(await answer([])).toEqual({ ui_refresh: { _variant: 'Default Variant', enabled: false } });
    const variants = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const body = (await answer([`email=${i}@example.org`])) as { ui_refresh: { _variant: string } };
      variants.set(body.ui_refresh._variant, (variants.get(body.ui_refresh._variant) ?? 0) + 1);
    }
    expect([...variants.keys()].sort()).toEqual(['Default Variant', 'Sample Population']);
    expect(variants.get('Sample Population')).toBeGreaterThan(8);
    expect(variants.get('Sample Population')).toBeLessThan(40);
    const single = await request(service.url).get(`${UI}?flag=ui_refresh`).expect(200);
    expect(single.body).toEqual({ _variant: 'Default Variant', enabled: false });
    expect(single.headers['configuration-version']).toMatch(/^\S+$/);
  });

  it('accepts an Entity-Id of up to 2048 bytes and refuses a longer one in plain text', async () => {
    await request(service.url).get(UI).set('Entity-Id', 'user-1').expect(200);
    await request(service.url).get(UI).set('Entity-Id', 'x'.repeat(2048)).expect(200);
    const long = await request(service.url).get(UI).set('Entity-Id', 'x'.repeat(2049)).expect(400);
    expect(long.headers['content-type']).toMatch(/^text\/plain/);
    expect(long.text).toMatch(/Entity-Id/);
  });

  it('answers one ?flag= with that flag alone, several with a map', async () => {
    expect((await request(service.url).get(`${APPCONFIG}?flag=dark-mode`).expect(200)).body).toEqual({
      enabled: true,
      regions: ['eu', 'us'],
      rollout: 'all',
      weight: 3,
    });
    const two = await request(service.url).get(`${APPCONFIG}?flag=dark-mode&flag=beta-search`).expect(200);
    expect(Object.keys(two.body).sort()).toEqual(['beta-search', 'dark-mode']);
  });

  it('answers a flagd profile as evaluated values, Context headers as the evaluation context', async () => {
    const plain = await request(service.url).get(FLAGD).expect(200);
    expect(plain.body).toMatchObject({
      'kill-switch': false,
      'banner-color': 'red',
      'retry-limit': 3,
      theme: { mode: 'light' },
    });
    expect(plain.body).not.toHaveProperty('legacy-ui');
    expect(plain.body).not.toHaveProperty('broken-rule');
    const targeted = await request(service.url)
      .get(`${FLAGD}?flag=banner-color`)
      .set('Context', 'email=ada@example.com')
      .expect(200);
    expect(targeted.body).toBe('blue');
    const comma = await request(service.url)
      .get(`${FLAGD}?flag=no-default&flag=banner-color`)
      .set('Context', 'plan=pro, email=x@example.com')
      .expect(200);
    expect(comma.body).toEqual({ 'no-default': true, 'banner-color': 'blue' });
  });

  it('answers 404 for an unknown configuration or flag, 400 for a bad Context header', async () => {
    await request(service.url).get('/applications/local/environments/local/configurations/nope').expect(404);
    await request(service.url).get('/applications/other/environments/local/configurations/flags').expect(404);
    const flag = await request(service.url).get(`${FLAGD}?flag=nope`).expect(404);
    expect(flag.headers['content-type']).toMatch(/^text\/plain/);
    expect(flag.text).toMatch(/nope/);
    // Many unknown flags: the answer names three (cut to 64 characters) and counts the rest.
    const many = Array.from({ length: 100 }, (_, i) => `flag=${'x'.repeat(100)}-${i}`).join('&');
    const bounded = await request(service.url).get(`${FLAGD}?${many}`).expect(404);
    expect(bounded.text.length).toBeLessThan(300);
    expect(bounded.text).toMatch(/and 97 more not found/);
    const bad = await request(service.url).get(FLAGD).set('Context', 'no-equals-sign').expect(400);
    expect(bad.text).toMatch(/key=value/);
    await request(service.url).get(FLAGD).set('Context', '__proto__=x').expect(400);
  });
});
