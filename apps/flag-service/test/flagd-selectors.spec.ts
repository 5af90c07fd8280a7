import { status } from '@grpc/grpc-js';
import { startFlagService, type RunningFlagService } from './flag-service-harness';
import { FlagdGrpcClient, StreamReader, fromStruct, type ProtoStruct } from './flagd-grpc-client';

const flag = (value: string, metadata?: Record<string, string>) => ({
  state: 'ENABLED',
  variants: { only: value },
  defaultVariant: 'only',
  ...(metadata === undefined ? {} : { metadata }),
});

/** Flag sets as flagd names them: a document's `metadata.flagSetId`, a flag's own over it, or none. */
const SHOP = {
  metadata: { flagSetId: 'shop' },
  flags: {
    checkout: flag('shop checkout'),
    'beta-banner': flag('beta banner', { flagSetId: 'beta' }),
  },
};
const PAYMENTS = { metadata: { flagSetId: 'payments' }, flags: { 'card-form': flag('payments card form') } };
const LOOSE = { flags: { legacy: flag('no set') } };

const keysOf = (document: string): string[] => Object.keys(JSON.parse(document).flags).sort();

describe('flagd selectors as flagd reads them: source, flagSetId, and what matches nothing', () => {
  let service: RunningFlagService;
  let v1: FlagdGrpcClient;
  let v2: FlagdGrpcClient;
  let sync: FlagdGrpcClient;

  beforeAll(async () => {
    service = await startFlagService({ flags: SHOP, payments: PAYMENTS, loose: LOOSE });
    v1 = FlagdGrpcClient.evaluationV1(service.flagdEvaluation);
    v2 = FlagdGrpcClient.evaluationV2(service.flagdEvaluation);
    sync = FlagdGrpcClient.sync(service.flagdSync);
  });
  afterAll(async () => {
    for (const client of [v1, v2, sync]) client?.close();
    await service?.close();
  });

  const resolve = (flagKey: string, selector: string) =>
    v2.call('ResolveString', { flagKey }, { 'flagd-selector': selector });

  it('flagSetId selects the flags of that set in whichever source holds them, and reflects it in the metadata', async () => {
    const card = await resolve('card-form', 'flagSetId=payments');
    expect(card).toMatchObject({ value: 'payments card form' });
    expect(fromStruct(card.metadata as ProtoStruct)).toEqual({ flagSetId: 'payments' });
    // A flag's own flagSetId moves it to that set, out of its document's.
    expect(await resolve('beta-banner', 'flagSetId=beta')).toMatchObject({ value: 'beta banner' });
    expect(
      (await v2.status('ResolveString', { flagKey: 'beta-banner' }, { 'flagd-selector': 'flagSetId=shop' }))
        .code,
    ).toBe(status.NOT_FOUND);
    expect(await resolve('checkout', 'flagSetId=shop')).toMatchObject({ value: 'shop checkout' });
    // `flagSetId=` (empty): the flags of no set.
    expect(await resolve('legacy', 'flagSetId=')).toMatchObject({ value: 'no set' });
    expect(
      (await v2.status('ResolveString', { flagKey: 'checkout' }, { 'flagd-selector': 'flagSetId=' })).code,
    ).toBe(status.NOT_FOUND);
  });

  it('refuses a selector past its length bound with INVALID_ARGUMENT, and keeps answering', async () => {
    const long = `source=${'a'.repeat(600)}`;
    expect(
      await v2.status('ResolveString', { flagKey: 'checkout' }, { 'flagd-selector': long }),
    ).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'invalid selector: longer than 512 characters',
    });
    expect(await resolve('checkout', 'flagSetId=shop')).toMatchObject({ value: 'shop checkout' });
  });

  it('ResolveAll and FetchAllFlags read the same selection', async () => {
    const all = await v1.call('ResolveAll', {}, { 'flagd-selector': 'flagSetId=shop' });
    expect(Object.keys(all.flags as object)).toEqual(['checkout']);
    expect(fromStruct(all.metadata as ProtoStruct)).toEqual({ flagSetId: 'shop' });
    const fetched = await sync.call('FetchAllFlags', { selector: 'flagSetId=beta' });
    expect(keysOf(fetched.flagConfiguration as string)).toEqual(['beta-banner']);
    const unknown = await sync.call('FetchAllFlags', {}, { 'flagd-selector': 'flagSetId=nobody' });
    expect(JSON.parse(unknown.flagConfiguration as string)).toEqual({ flags: {} });
    const none = await v1.call('ResolveAll', {}, { 'flagd-selector': 'local/local/nope' });
    expect(none.flags ?? {}).toEqual({});
  });

  it('a SyncFlags stream of a flag set follows the set, and one of an unknown source is sent its flags once it appears', async () => {
    const set = new StreamReader(sync.stream('SyncFlags', {}, { 'flagd-selector': 'flagSetId=payments' }));
    const later = new StreamReader(sync.stream('SyncFlags', { selector: 'local/local/later' }));
    const events = new StreamReader(v2.stream('EventStream', {}, { 'flagd-selector': 'local/local/later' }));
    try {
      expect(keysOf((await set.next()).flagConfiguration as string)).toEqual(['card-form']);
      expect(JSON.parse((await later.next()).flagConfiguration as string)).toEqual({ flags: {} });
      expect(await events.next()).toMatchObject({ type: 'provider_ready' });

      // The set grows in its source; then a source that did not exist is added.
      await service.writeFlags('payments', {
        ...PAYMENTS,
        flags: { ...PAYMENTS.flags, 'wallet-pay': flag('wallet') },
      });
      expect(keysOf((await set.next(10_000)).flagConfiguration as string)).toEqual([
        'card-form',
        'wallet-pay',
      ]);
      await service.writeFlags('later', { flags: { arrived: flag('arrived') } });
      expect(keysOf((await later.next(10_000)).flagConfiguration as string)).toEqual(['arrived']);
      expect(await events.next(10_000)).toMatchObject({ type: 'configuration_change' });
      // A change elsewhere that leaves the set as it was sends it nothing.
      await service.writeFlags('loose', { flags: { legacy: flag('still no set') } });
      await service.writeFlags('payments', { ...PAYMENTS, flags: { 'card-form': flag('v3') } });
      const next = JSON.parse((await set.next(10_000)).flagConfiguration as string);
      expect(next.flags['card-form'].variants).toEqual({ only: 'v3' });
      expect(set.pending).toBe(0);
    } finally {
      for (const reader of [set, later, events]) reader.stream.cancel();
    }
  });
});
