import type { FlagChange } from './change-notifier';
import { MAX_INLINE_FLAGS_BYTES, flagsChangedPayload, inlineDefinitions } from './webhook-payload';

type Definitions = NonNullable<FlagChange['definitions']>;
const changeOf = (definitions: Definitions): FlagChange => ({
  kind: 'revision',
  source: 'app/env/flags',
  revision: 2,
  previousRevision: 1,
  versionLabel: null,
  added: Object.keys(definitions),
  removed: [],
  changed: [],
  definitions: inlineDefinitions(Object.keys(definitions), (key) => definitions[key]),
  publishedHere: true,
  fetchedAt: 0,
});
/** Definitions whose JSON takes exactly `bytes` UTF-8 bytes (a multi-byte character in the text). */
const definitionsOf = (bytes: number): Definitions => {
  const shell = JSON.stringify({ a: { old: null, new: 'é' }, b: { old: null, new: '' } });
  return { a: { old: null, new: 'é' }, b: { old: null, new: 'x'.repeat(bytes - Buffer.byteLength(shell)) } };
};
const now = new Date(0);

describe('flagsChangedPayload', () => {
  it('inlines definitions whose JSON fits the limit, counting UTF-8 bytes', () => {
    const fits = definitionsOf(MAX_INLINE_FLAGS_BYTES);
    expect(Buffer.byteLength(JSON.stringify(fits))).toBe(MAX_INLINE_FLAGS_BYTES);
    expect(flagsChangedPayload(changeOf(fits), now).data.flags).toEqual(fits);
  });

  it('leaves them out one byte over the limit, and for a change of 10,000 flags', () => {
    expect(
      flagsChangedPayload(changeOf(definitionsOf(MAX_INLINE_FLAGS_BYTES + 1)), now).data,
    ).not.toHaveProperty('flags');
    const many = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, i) => [`flag-${i}`, { old: null, new: { state: 'ENABLED' } }]),
    );
    const payload = flagsChangedPayload(changeOf(many), now);
    expect(payload.data).not.toHaveProperty('flags');
    expect(payload.data.added).toHaveLength(10_000);
  });

  it('reads no more definitions than fit: a change of 10,000 flags looks at a few hundred', () => {
    const read: string[] = [];
    const keys = Array.from({ length: 10_000 }, (_, i) => `flag-${i}`);
    expect(
      inlineDefinitions(keys, (key) => {
        read.push(key);
        return { old: null, new: { state: 'ENABLED' } };
      }),
    ).toBeNull();
    expect(read.length).toBeLessThan(500);
  });
});
