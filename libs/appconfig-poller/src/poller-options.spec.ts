import { PollerOptionsInvalidError } from './errors';
import { resolvePollerOptions, type PollerModuleOptions } from './poller-options';

describe('resolvePollerOptions', () => {
  const base: PollerModuleOptions = {
    sources: [{ application: 'a', environment: 'e', profile: 'p' }],
    replicaId: 'replica-1',
    client: {},
  };

  it('applies defaults and derives the source keys', () => {
    const resolved = resolvePollerOptions(base);
    expect(resolved.sources[0].key).toBe('a/e/p');
    expect(resolved).toMatchObject({
      leaseTtlMs: 30_000,
      schedulerTickMs: 1000,
      backoffMinMs: 1000,
      backoffMaxMs: 300_000,
    });
    expect(resolved.client.requestTimeoutMs).toBe(10_000);
    expect(resolved.replicaId).toBe('replica-1');
  });

  it.each<[string, Partial<PollerModuleOptions>]>([
    ['no sources', { sources: [] }],
    ['a duplicate source', { sources: [base.sources[0], { ...base.sources[0] }] }],
    ['an interval below 15 s', { requiredMinimumPollIntervalSeconds: 14 }],
    ['an interval above a day', { requiredMinimumPollIntervalSeconds: 86_401 }],
    ['a negative tick', { schedulerTickMs: -1 }],
    ['inverted backoff bounds', { backoffMinMs: 10, backoffMaxMs: 5 }],
    [
      'an identifier over 128 characters',
      { sources: [{ application: 'a'.repeat(129), environment: 'e', profile: 'p' }] },
    ],
  ])('refuses %s with a coded error', (_name, override) => {
    expect(() => resolvePollerOptions({ ...base, ...override })).toThrow(PollerOptionsInvalidError);
  });
});
