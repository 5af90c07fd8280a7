import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
  type GetLatestConfigurationCommandOutput,
} from '@aws-sdk/client-appconfigdata';

/** The real SDK client, pointed at an emulator, with retries off so each call is one HTTP request. */
export function sdkClient(url: string): AppConfigDataClient {
  return new AppConfigDataClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
}

export async function startSession(
  client: AppConfigDataClient,
  app: string,
  env: string,
  profile: string,
  requiredMinimumPollIntervalInSeconds?: number,
): Promise<string> {
  const out = await client.send(
    new StartConfigurationSessionCommand({
      ApplicationIdentifier: app,
      EnvironmentIdentifier: env,
      ConfigurationProfileIdentifier: profile,
      RequiredMinimumPollIntervalInSeconds: requiredMinimumPollIntervalInSeconds,
    }),
  );
  return out.InitialConfigurationToken ?? '';
}

export function poll(
  client: AppConfigDataClient,
  token: string,
): Promise<GetLatestConfigurationCommandOutput> {
  return client.send(new GetLatestConfigurationCommand({ ConfigurationToken: token }));
}

/** The body as text; the SDK gives an empty Uint8Array or undefined for "unchanged". */
export function text(out: GetLatestConfigurationCommandOutput): string {
  return Buffer.from(out.Configuration ?? new Uint8Array()).toString('utf8');
}

/** Resolves with the rejection of `promise` (fails if it resolves), for asserting on SDK exceptions. */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}
