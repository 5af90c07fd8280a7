import type { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import {
  startAppConfigEmulator,
  TOKEN_LIFETIME_MS,
  type RunningEmulator,
} from '@flagfleet/appconfig-emulator';
import { poll, rejection, sdkClient, startSession, text } from '../src/testing/sdk-session';

describe('AppConfigData API through the real SDK client', () => {
  let now = 1_700_000_000_000;
  let emu: RunningEmulator;
  let client: AppConfigDataClient;

  beforeEach(async () => {
    emu = await startAppConfigEmulator({ pollIntervalSeconds: 1, clock: () => now });
    emu.deploy('app', 'prod', 'flags', '{"v":1}', 'application/json', 'first');
    client = sdkClient(emu.url);
  });
  afterEach(async () => {
    client.destroy();
    await emu.close();
  });

  it('returns the content on the first call, then empty bodies, with fresh tokens and the interval', async () => {
    const first = await poll(client, await startSession(client, 'app', 'prod', 'flags'));
    expect(first.$metadata.httpStatusCode).toBe(200);
    expect(text(first)).toBe('{"v":1}');
    expect(first.ContentType).toBe('application/json');
    expect(first.VersionLabel).toBe('first');
    expect(first.NextPollIntervalInSeconds).toBe(1);
    expect(first.NextPollConfigurationToken).toMatch(/^[A-Za-z0-9_-]{64}$/);

    const second = await poll(client, first.NextPollConfigurationToken!);
    expect(text(second)).toBe('');
    expect(second.VersionLabel || '').toBe('');
    expect(second.NextPollConfigurationToken).not.toBe(first.NextPollConfigurationToken);
    expect(emu.stats()).toEqual({
      startConfigurationSession: 1,
      getLatestConfiguration: 2,
      configurationsReturned: 1,
      listDeployments: 0,
      getHostedConfigurationVersion: 0,
    });
  });

  it('shows a new deployment on the next call of an open session, once', async () => {
    const first = await poll(client, await startSession(client, 'app', 'prod', 'flags'));
    expect(emu.deploy('app', 'prod', 'flags', 'a: 2', 'application/x-yaml')).toBe(2);
    const changed = await poll(client, first.NextPollConfigurationToken!);
    expect(text(changed)).toBe('a: 2');
    expect(changed.ContentType).toBe('application/x-yaml');
    expect(changed.VersionLabel || '').toBe('');
    expect(text(await poll(client, changed.NextPollConfigurationToken!))).toBe('');
  });

  it('gives every new session the full content (how a broken token chain is repaired)', async () => {
    await poll(client, await startSession(client, 'app', 'prod', 'flags'));
    expect(text(await poll(client, await startSession(client, 'app', 'prod', 'flags')))).toBe('{"v":1}');
  });

  it('answers the requested minimum as the interval and refuses earlier polls with PollIntervalNotSatisfied', async () => {
    const first = await poll(client, await startSession(client, 'app', 'prod', 'flags', 15));
    expect(first.NextPollIntervalInSeconds).toBe(15);
    now += 14_000;
    const early = await rejection(poll(client, first.NextPollConfigurationToken!));
    expect(early).toMatchObject({ name: 'BadRequestException', Reason: 'InvalidParameters' });
    expect(early.Details).toEqual({
      InvalidParameters: { ConfigurationToken: { Problem: 'PollIntervalNotSatisfied' } },
    });
    now += 1_000;
    // The early call did not consume the token.
    expect(text(await poll(client, first.NextPollConfigurationToken!))).toBe('');
  });

  it('rejects a reused token as Corrupted', async () => {
    const token = await startSession(client, 'app', 'prod', 'flags');
    await poll(client, token);
    const reused = await rejection(poll(client, token));
    expect(reused).toMatchObject({
      name: 'BadRequestException',
      Reason: 'InvalidParameters',
      $metadata: { httpStatusCode: 400 },
    });
    expect(reused.Details).toEqual({ InvalidParameters: { ConfigurationToken: { Problem: 'Corrupted' } } });
  });

  it('rejects an unknown token as Corrupted', async () => {
    const forged = await rejection(poll(client, 'AAAA'));
    expect(forged.Details).toEqual({ InvalidParameters: { ConfigurationToken: { Problem: 'Corrupted' } } });
  });

  it('expires tokens after 24 hours', async () => {
    const token = await startSession(client, 'app', 'prod', 'flags');
    now += TOKEN_LIFETIME_MS - 1;
    const first = await poll(client, token);
    now += TOKEN_LIFETIME_MS;
    const expired = await rejection(poll(client, first.NextPollConfigurationToken!));
    expect(expired).toMatchObject({ name: 'BadRequestException', Reason: 'InvalidParameters' });
    expect(expired.Details).toEqual({ InvalidParameters: { ConfigurationToken: { Problem: 'Expired' } } });
  });

  it.each([14, 86_401])('rejects RequiredMinimumPollIntervalInSeconds %i', async (seconds) => {
    const error = await rejection(startSession(client, 'app', 'prod', 'flags', seconds));
    expect(error).toMatchObject({
      name: 'BadRequestException',
      Reason: 'InvalidParameters',
      $metadata: { httpStatusCode: 400 },
    });
    expect(error.Details).toEqual({ InvalidParameters: { RequiredMinimumPollIntervalInSeconds: {} } });
    expect(emu.stats().startConfigurationSession).toBe(0);
  });

  it.each(['', 'x'.repeat(129)])('rejects an identifier of %#: outside 1..128 characters', async (name) => {
    const error = await rejection(startSession(client, name, 'prod', 'flags'));
    expect(error).toMatchObject({ name: 'BadRequestException', Reason: 'InvalidParameters' });
    expect(error.Details).toEqual({ InvalidParameters: { ApplicationIdentifier: {} } });
  });

  it.each([
    ['nope', 'prod', 'flags', 'Application'],
    ['app', 'nope', 'flags', 'Environment'],
    ['app', 'prod', 'nope', 'ConfigurationProfile'],
  ])('answers ResourceNotFoundException for %s/%s/%s', async (app, env, profile, resourceType) => {
    const error = await rejection(startSession(client, app, env, profile));
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      ResourceType: resourceType,
      ReferencedBy: {
        ApplicationIdentifier: app,
        EnvironmentIdentifier: env,
        ConfigurationProfileIdentifier: profile,
      },
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('lets a token be redeemed twice in lenient mode', async () => {
    const lenient = await startAppConfigEmulator({ allowTokenReuse: true });
    try {
      lenient.deploy('a', 'e', 'p', 'x');
      const lenientClient = sdkClient(lenient.url);
      const token = await startSession(lenientClient, 'a', 'e', 'p');
      // The token carries the session's position, so both calls see the content.
      expect(text(await poll(lenientClient, token))).toBe('x');
      expect(text(await poll(lenientClient, token))).toBe('x');
      lenientClient.destroy();
    } finally {
      await lenient.close();
    }
  });

  it('keeps at most maxTokens sessions: the oldest is forgotten and its holder starts a new session', async () => {
    const bounded = await startAppConfigEmulator({ pollIntervalSeconds: 1, maxTokens: 3 });
    bounded.deploy('app', 'prod', 'flags', '{"v":1}');
    const boundedClient = sdkClient(bounded.url);
    try {
      const tokens = [];
      for (let i = 0; i < 4; i += 1) tokens.push(await startSession(boundedClient, 'app', 'prod', 'flags'));
      expect(await rejection(poll(boundedClient, tokens[0]))).toMatchObject({ name: 'BadRequestException' });
      expect(text(await poll(boundedClient, tokens[3]))).toBe('{"v":1}');
    } finally {
      boundedClient.destroy();
      await bounded.close();
    }
  });
});
