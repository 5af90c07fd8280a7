import request from 'supertest';
import {
  APPCONFIG_FLAGS,
  SERVICE_FLAGS,
  startFlagService,
  type RunningFlagService,
} from './flag-service-harness';

const FLAGD = '/applications/local/environments/local/configurations/flags';
const APPCONFIG = '/applications/local/environments/local/configurations/appflags';

let service: RunningFlagService;

beforeAll(async () => {
  service = await startFlagService({ flags: SERVICE_FLAGS, appflags: APPCONFIG_FLAGS });
});
afterAll(() => service?.close());

describe('AppConfig Agent compatible endpoint', () => {
  it('answers an AppConfig feature-flag profile as the evaluated {key: {enabled, ...attributes}} map', async () => {
    const answer = await request(service.url).get(APPCONFIG).expect(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers.configurationversion).toMatch(/^\S+$/);
    expect(answer.body).toEqual({
      'dark-mode': { enabled: true, rollout: 'all', weight: 3 },
      'beta-search': { enabled: false },
    });
  });

  it('answers one ?flag= with that flag alone, several with a map', async () => {
    expect((await request(service.url).get(`${APPCONFIG}?flag=dark-mode`).expect(200)).body).toEqual({
      enabled: true,
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
    expect(flag.body.message).toMatch(/nope/);
    const bad = await request(service.url).get(FLAGD).set('Context', 'no-equals-sign').expect(400);
    expect(bad.body).toEqual({ statusCode: 400, message: expect.stringMatching(/key=value/) });
    await request(service.url).get(FLAGD).set('Context', '__proto__=x').expect(400);
  });
});
