import { Code, ConnectError } from '@connectrpc/connect';
import { compileFlagDocument, runInSlices, type CompiledFlags } from '@flagfleet/flag-engine';
import { turnsDuring } from '../../../../test/support/event-loop-turns';
import { inProcessGaps, inProcessGapsInSteps, syncDocument, syncDocumentSliced } from './sync-document';

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

  it('is built in slices for the sync streams: the same text, once for every stream that asks meanwhile', async () => {
    const document = {
      flags: Object.fromEntries(
        Array.from({ length: 3_000 }, (_, i) => [
          `flag-${i}`,
          { ...flag, targeting: { if: [{ in: [{ var: 'plan' }, ['pro', `p${i}`]] }, 'on', null] } },
        ]),
      ),
    };
    const many = flags(document);
    const { value, turns } = await turnsDuring(() =>
      Promise.all([syncDocumentSliced(many, 10_000_000), syncDocumentSliced(many, 10_000_000)]),
    );
    // Written at once, the document took a single turn of the event loop.
    expect(turns).toBeGreaterThan(1);
    expect(value[0]).toBe(value[1]);
    expect(value[0]).toBe(syncDocument(flags(document), 10_000_000));
    await expect(syncDocumentSliced(flags(document), 1_000)).rejects.toThrow(/writeMaxBytes 1000/);
  });
});

describe('the in-process gaps of a deploy', () => {
  it('are found in slices for thousands of multi-variant flags, as found at once', async () => {
    const names = Array.from({ length: 1_000 }, (_, i) => `flag_${i}`);
    const outcome = compileFlagDocument(
      JSON.stringify({
        version: '1',
        flags: Object.fromEntries(names.map((name) => [name, { name }])),
        values: Object.fromEntries(
          names.map((name, i) => [
            name,
            {
              _variants: [
                // Every third has a rule that flagd JSON Logic cannot say exactly (a timestamp).
                {
                  name: 'a',
                  enabled: true,
                  rule: i % 3 === 0 ? '(gt $when 2024-01-01T)' : `(eq $tier ${i})`,
                },
                {
                  name: 'b',
                  enabled: true,
                  rule: `(and (in $country ["DE", "AT"]) (ends_with $email "@t${i}.example"))`,
                },
                { name: 'off', enabled: false },
              ],
            },
          ]),
        ),
      }),
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const { value: gaps, turns } = await turnsDuring(() =>
      runInSlices(inProcessGapsInSteps(outcome.flags), 1),
    );
    expect(turns).toBeGreaterThan(1);
    expect(gaps.map((gap) => gap.flag)).toEqual(names.filter((_, i) => i % 3 === 0));
    expect(inProcessGaps(outcome.flags)).toEqual(gaps);
  });
});
