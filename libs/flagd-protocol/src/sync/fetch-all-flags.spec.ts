import { create } from '@bufbuild/protobuf';
import { compileFlagDocument, type CompiledFlags } from '@flagfleet/flag-engine';
import { EvaluationPort, SnapshotRegistry } from '@flagfleet/serving';
import { turnsDuring } from '../../../../test/support/event-loop-turns';
import { FetchAllFlagsRequestSchema } from '../gen/flagd/sync/v1/sync_pb';
import { syncUnary } from './flag-sync';
import { syncDocument } from './sync-document';

const SOURCE = 'app/env/flags';
const flag = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' };

function compiled(document: object): CompiledFlags {
  const outcome = compileFlagDocument(JSON.stringify(document));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.flags;
}

function portServing(document: object): EvaluationPort {
  const registry = new SnapshotRegistry();
  registry.add(SOURCE);
  registry.replace({
    source: SOURCE,
    revision: 1,
    versionLabel: null,
    contentType: 'application/json',
    content: Buffer.from(JSON.stringify(document)),
    contentHash: '',
    flags: compiled(document),
    fetchedAt: 0,
    loadedAt: 0,
  });
  return new EvaluationPort(registry, { count: () => {}, started: () => 0, timed: () => {} });
}

describe('FetchAllFlags', () => {
  it('writes the first document of a snapshot in slices, as a sync stream does (other work runs meanwhile)', async () => {
    const document = {
      flags: Object.fromEntries(
        Array.from({ length: 3_000 }, (_, i) => [
          `flag-${i}`,
          { ...flag, targeting: { if: [{ in: [{ var: 'plan' }, ['pro', `p${i}`]] }, 'on', null] } },
        ]),
      ),
    };
    const { fetchAllFlags } = syncUnary({ port: portServing(document), maxMessageBytes: 10_000_000 });
    const { value, turns } = await turnsDuring(async () =>
      fetchAllFlags(create(FetchAllFlagsRequestSchema, { selector: SOURCE }), null),
    );
    // Written at once (as it was), the whole document took a single turn of the event loop.
    expect(turns).toBeGreaterThan(1);
    expect(value.flagConfiguration).toBe(syncDocument(compiled(document), 10_000_000));
  });
});
