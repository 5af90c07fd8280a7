import { Mailbox } from './mailbox';
import { changedFlags } from './configuration-change';

describe('Mailbox', () => {
  it('holds one pending value however many arrive before a take (a slow reader costs one message)', async () => {
    const box = new Mailbox<number[]>((pending, next) => [...pending, ...next].slice(-1));
    for (let i = 0; i < 10_000; i++) box.put([i]);
    const signal = new AbortController().signal;
    expect(await box.take(signal, 1_000)).toEqual([9_999]);
    expect(await box.take(signal, 10)).toBeUndefined();
  });

  it('wakes a waiting take, and rejects it with the reason when the signal aborts', async () => {
    const box = new Mailbox<string>((_pending, next) => next);
    const controller = new AbortController();
    const taken = box.take(controller.signal, 10_000);
    box.put('a');
    expect(await taken).toBe('a');
    const waiting = box.take(controller.signal, 10_000);
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
  });
});

describe('changedFlags', () => {
  const base = { added: [], removed: [], changed: [], keys: ['a', 'b'], previousMetadata: {}, metadata: {} };

  it("names each touched key with flagd's change type", () => {
    expect(changedFlags({ ...base, added: ['n'], removed: ['r'], changed: ['a'] })).toEqual({
      n: { type: 'write' },
      r: { type: 'delete' },
      a: { type: 'update' },
    });
  });

  it('touches every key when the flag-set metadata changed, none when nothing did', () => {
    expect(changedFlags(base)).toEqual({});
    expect(changedFlags({ ...base, metadata: { team: 'x' } })).toEqual({
      a: { type: 'update' },
      b: { type: 'update' },
    });
    expect(changedFlags({ ...base, previousMetadata: null, metadata: { team: 'x' } })).toEqual({});
  });
});
