import { Mailbox } from './mailbox';

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
