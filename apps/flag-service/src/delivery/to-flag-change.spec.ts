import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FlagsChangedEvent } from '@flagfleet/appconfig-poller';
import type { ConfigSnapshot } from '@flagfleet/serving';
import type { CompiledFlags, FlagDefinition } from '@flagfleet/flag-engine';
import { StreamTokens } from '../auth/stream-tokens';
import { EventStreamLinks } from './event-stream-links';
import { sourceChange } from '../changes/source-changes.publisher';
import { toFlagChange } from './to-flag-change';

/** A full garbage collection, with Node's `--expose-gc` switched on for a new context. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

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
    const change = toFlagChange(sourceChange(event));
    expect(change).toMatchObject({
      source: 'a/b/c',
      revision: 2,
      versionLabel: 'v2',
      publishedHere: true,
      fetchedAt: 1_000,
    });
    const definitions = change.definitions ?? {};
    expect(Object.keys(definitions).sort()).toEqual(['gone', 'kept', 'new']);
    expect(definitions.new).toEqual({ old: null, new: definition('new', 'ENABLED') });
    expect(definitions.gone).toEqual({ old: definition('gone', 'ENABLED'), new: null });
    expect(definitions.kept.new).toMatchObject({ state: 'DISABLED' });
  });

  it('keeps nothing of the snapshots it compares: a change remembered until queued does not hold them', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `flag-${i}`);
    let previous: ConfigSnapshot | null = snapshot(
      1,
      keys.map((key) => definition(key, 'ENABLED')),
    );
    let next: ConfigSnapshot | null = snapshot(
      2,
      keys.map((key) => definition(key, 'DISABLED')),
    );
    const held = [new WeakRef(previous), new WeakRef(next)];
    const change = toFlagChange(
      sourceChange({
        source: 'a/b/c',
        revision: 2,
        previousRevision: 1,
        versionLabel: null,
        added: [],
        removed: [],
        changed: keys,
        publishedHere: true,
        previous,
        snapshot: next,
      }),
    );
    previous = next = null;
    // A WeakRef holds its target until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(held.map((ref) => ref.deref() === undefined)).toEqual([true, true]);
    // Too large for a webhook: left out, and the receiver refetches.
    expect(change.definitions).toBeNull();
    expect(change.changed).toHaveLength(10_000);
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
    expect(toFlagChange(sourceChange(event))).toMatchObject({
      previousRevision: null,
      definitions: {},
      publishedHere: false,
    });
  });
});

describe('EventStreamLinks', () => {
  it('points OFREP providers at the SSE stream of the source (endpoint only, as the schema requires one of url/endpoint)', () => {
    expect(new EventStreamLinks(new StreamTokens([])).forSource('shop/prod/flags')).toEqual([
      {
        type: 'sse',
        endpoint: { requestUri: '/events/stream?source=shop%2Fprod%2Fflags' },
        inactivityDelaySec: 120,
      },
    ]);
  });

  it('adds a stream token for the source when API keys are set, never the key', () => {
    const tokens = new StreamTokens(['secret-key']);
    const [link] = new EventStreamLinks(tokens).forSource('shop/prod/flags');
    const url = new URL(link.endpoint.requestUri, 'http://replica');
    expect(url.searchParams.get('source')).toBe('shop/prod/flags');
    expect(tokens.accepts('shop/prod/flags', url.searchParams.get('token')!)).toBe(true);
    expect(link.endpoint.requestUri).not.toContain('secret-key');
  });
});
