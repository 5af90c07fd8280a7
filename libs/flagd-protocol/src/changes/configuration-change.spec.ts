import { changedFlags } from './configuration-change';

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
