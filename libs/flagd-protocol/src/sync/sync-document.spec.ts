import { Code, ConnectError } from '@connectrpc/connect';
import { compileFlagDocument, type CompiledFlags } from '@flagfleet/flag-engine';
import { syncDocument } from './sync-document';

function flags(document: unknown): CompiledFlags {
  const outcome = compileFlagDocument(JSON.stringify(document));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.flags;
}

const flag = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' };

describe('syncDocument', () => {
  it('is the flagd document of every flag', () => {
    const document = syncDocument(flags({ flags: { b: flag, '10': flag } }), 10_000);
    expect(Object.keys(JSON.parse(document).flags)).toEqual(['10', 'b']);
    expect(JSON.parse(document).flags.b).toEqual(flag);
  });

  it('refuses a document over the limit with RESOURCE_EXHAUSTED, at the first flag past it', () => {
    const many = flags({
      flags: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`flag-${i}`, flag])),
    });
    const whole = syncDocument(many, 1_000_000);
    const refuse = (): string => syncDocument(flags({ flags: JSON.parse(whole).flags }), whole.length - 1);
    expect(refuse).toThrow(ConnectError);
    expect(refuse).toThrow(/larger than configured writeMaxBytes \d+ \(FLAGD_MAX_MESSAGE_BYTES\)/);
    try {
      refuse();
    } catch (error) {
      expect((error as ConnectError).code).toBe(Code.ResourceExhausted);
    }
    // At the limit exactly, it is sent.
    expect(syncDocument(flags({ flags: JSON.parse(whole).flags }), whole.length)).toBe(whole);
  });
});
