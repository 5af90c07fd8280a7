import { compileOrThrow } from '../test/compile';
import { diffFlags } from './diff-flags';
import type { CompiledFlags } from './evaluation/compiled-flags';

function compile(flags: Record<string, unknown>): CompiledFlags {
  return compileOrThrow({ flags });
}
const flag = (defaultVariant: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant,
  ...extra,
});

describe('diffFlags', () => {
  it('lists every flag as added when there is no previous document', () => {
    expect(diffFlags(null, compile({ a: flag('on'), b: flag('off') }))).toEqual({
      added: ['a', 'b'],
      removed: [],
      changed: [],
    });
  });

  it('finds added, removed and changed flags by definition', () => {
    const before = compile({
      same: flag('on'),
      gone: flag('on'),
      edited: flag('on'),
      retargeted: flag('on', { targeting: { if: [true, 'on'] } }),
    });
    const after = compile({
      same: flag('on'),
      edited: flag('off'),
      retargeted: flag('on', { targeting: { if: [false, 'on'] } }),
      fresh: flag('on'),
    });
    expect(diffFlags(before, after)).toEqual({
      added: ['fresh'],
      removed: ['gone'],
      changed: ['edited', 'retargeted'],
    });
  });

  it('ignores key order inside definitions', () => {
    const a = compile({
      x: {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'on',
        metadata: { a: 1, b: 2 },
      },
    });
    const b = compile({
      x: {
        metadata: { b: 2, a: 1 },
        defaultVariant: 'on',
        variants: { off: false, on: true },
        state: 'ENABLED',
      },
    });
    expect(diffFlags(a, b)).toEqual({ added: [], removed: [], changed: [] });
  });
});
