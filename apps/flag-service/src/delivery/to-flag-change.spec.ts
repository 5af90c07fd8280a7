import type { ConfigSnapshot, FlagsChangedEvent } from '@flagfleet/appconfig-poller';
import type { CompiledFlags, FlagDefinition } from '@flagfleet/flag-engine';
import { EventStreamLinks } from './event-stream-links';
import { toFlagChange } from './to-flag-change';

const definition = (key: string, state: 'ENABLED' | 'DISABLED'): FlagDefinition => ({
  key,
  state,
  variants: { on: true, off: false },
  defaultVariant: 'on',
  metadata: {},
  valueType: 'boolean',
});

const snapshot = (revision: number, flags: FlagDefinition[]): ConfigSnapshot => ({
  source: 'a/b/c',
  revision,
  versionLabel: `v${revision}`,
  contentType: 'application/json',
  content: Buffer.from('{}'),
  contentHash: 'h',
  flags: { definitions: new Map(flags.map((f) => [f.key, f])) } as unknown as CompiledFlags,
  fetchedAt: 1_000,
  loadedAt: 2_000,
});

describe('toFlagChange', () => {
  it('carries old and new definitions of every touched flag, and publishedHere', () => {
    const event: FlagsChangedEvent = {
      source: 'a/b/c',
      revision: 2,
      previousRevision: 1,
      versionLabel: 'v2',
      added: ['new'],
      removed: ['gone'],
      changed: ['kept'],
      publishedHere: true,
      previous: snapshot(1, [
        definition('gone', 'ENABLED'),
        definition('kept', 'ENABLED'),
        definition('same', 'ENABLED'),
      ]),
      snapshot: snapshot(2, [
        definition('new', 'ENABLED'),
        definition('kept', 'DISABLED'),
        definition('same', 'ENABLED'),
      ]),
    };
    const change = toFlagChange(event);
    expect(change).toMatchObject({
      source: 'a/b/c',
      revision: 2,
      versionLabel: 'v2',
      publishedHere: true,
      fetchedAt: 1_000,
    });
    expect(Object.keys(change.definitions).sort()).toEqual(['gone', 'kept', 'new']);
    expect(change.definitions.new).toEqual({ old: null, new: definition('new', 'ENABLED') });
    expect(change.definitions.gone).toEqual({ old: definition('gone', 'ENABLED'), new: null });
    expect(change.definitions.kept.new).toMatchObject({ state: 'DISABLED' });
  });

  it('handles a first load and non-flag content', () => {
    const event = {
      source: 'a/b/c',
      revision: 1,
      previousRevision: null,
      versionLabel: null,
      added: [],
      removed: [],
      changed: [],
      publishedHere: false,
      previous: null,
      snapshot: { ...snapshot(1, []), flags: null },
    } satisfies FlagsChangedEvent;
    expect(toFlagChange(event)).toMatchObject({
      previousRevision: null,
      definitions: {},
      publishedHere: false,
    });
  });
});

describe('EventStreamLinks', () => {
  it('points OFREP providers at the SSE stream of the source (endpoint only, as the schema requires one of url/endpoint)', () => {
    expect(new EventStreamLinks().forSource('shop/prod/flags')).toEqual([
      {
        type: 'sse',
        endpoint: { requestUri: '/events/stream?source=shop%2Fprod%2Fflags' },
        inactivityDelaySec: 120,
      },
    ]);
  });
});
