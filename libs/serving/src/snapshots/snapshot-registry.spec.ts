import type { ConfigSnapshot } from './config-snapshot';
import type { SnapshotRegistryEvent } from './snapshot-listener';
import { SnapshotRegistry } from './snapshot-registry';

const snapshot = (source: string, revision: number): ConfigSnapshot => ({
  source,
  revision,
  versionLabel: null,
  contentType: 'application/json',
  content: Buffer.from('{}'),
  contentHash: `hash-${revision}`,
  flags: null,
  fetchedAt: 0,
  loadedAt: 0,
});

describe('SnapshotRegistry', () => {
  it('serves the first source added as the default, even after it is removed', () => {
    const registry = new SnapshotRegistry();
    registry.add('a');
    registry.add('b');
    registry.remove('a');
    expect(registry.defaultSource).toBe('a');
    expect(registry.sources()).toEqual(['b']);
  });

  it('does not bring back a source whose load finished after it was removed', () => {
    const registry = new SnapshotRegistry();
    registry.add('a');
    registry.remove('a');
    registry.replace(snapshot('a', 1));
    expect(registry.get('a')).toBeUndefined();
    expect(registry.all()).toEqual([]);
  });

  it('tells listeners of sources added and removed and of snapshots replaced, after the change', () => {
    const registry = new SnapshotRegistry();
    const heard: Array<SnapshotRegistryEvent & { seen: string[] }> = [];
    const stop = registry.listen((event) => heard.push({ ...event, seen: registry.sources() }));
    const first = snapshot('a', 1);
    const second = snapshot('a', 2);
    registry.add('a');
    registry.add('a');
    registry.replace(first);
    registry.replace(second);
    registry.remove('a');
    registry.remove('a');
    stop();
    registry.add('b');
    expect(heard).toEqual([
      { kind: 'source-added', source: 'a', seen: ['a'] },
      { kind: 'snapshot-replaced', snapshot: first, previous: null, seen: ['a'] },
      { kind: 'snapshot-replaced', snapshot: second, previous: first, seen: ['a'] },
      { kind: 'source-removed', source: 'a', last: second, seen: [] },
    ]);
  });

  it('goes on telling the other listeners when one throws', () => {
    const registry = new SnapshotRegistry();
    const heard: string[] = [];
    registry.listen(() => {
      throw new Error('listener bug');
    });
    registry.listen((event) => heard.push(event.kind));
    registry.add('a');
    expect(heard).toEqual(['source-added']);
  });
});
