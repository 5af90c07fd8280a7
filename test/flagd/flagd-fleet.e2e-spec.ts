import { OpenFeature, ProviderEvents, type Client } from '@openfeature/server-sdk';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { Fleet, percentile } from '../support/fleet';
import type { ServiceProcess } from '../support/service-process';
import { TcpBalancer } from '../support/tcp-balancer';
import { waitFor } from '../support/wait-for';

/**
 * Issue #12: flagd providers on every replica of a fleet (three processes, one real Redis, the emulator)
 * follow deploys — RPC mode (cache evicted by configuration_change, the new value served) and in-process
 * mode (new document) — and a provider whose replica is SIGKILLed reconnects to another and converges.
 */
jest.setTimeout(120_000);

type Mode = 'rpc' | 'in-process';

interface Watched {
  readonly name: string;
  readonly replica: string;
  readonly provider: FlagdProvider;
  readonly client: Client;
  /** Date.now() of each ConfigurationChanged event the provider emitted. */
  readonly changes: number[];
}

let domains = 0;

async function watchedClient(name: string, mode: Mode, port: number): Promise<Watched> {
  const domain = `fleet-${mode}-${domains++}`;
  const provider = new FlagdProvider({
    host: '127.0.0.1',
    port,
    resolverType: mode,
    // RPC mode with its default LRU cache: the point is that a change evicts it.
    cache: 'lru',
    deadlineMs: 5_000,
    // Reconnect after a lost stream within half a second (the default waits up to 2 minutes).
    retryBackoffMs: 100,
    retryBackoffMaxMs: 500,
  });
  await OpenFeature.setProviderAndWait(domain, provider);
  const client = OpenFeature.getClient(domain);
  const changes: number[] = [];
  client.addHandler(ProviderEvents.ConfigurationChanged, () => changes.push(Date.now()));
  return { name: `${name} ${mode}`, replica: name, provider, client, changes };
}

describe('flagd providers on a fleet (3 replicas, real Redis, emulator)', () => {
  let fleet: Fleet;
  const watched: Watched[] = [];

  beforeAll(async () => {
    fleet = await Fleet.start({ replicas: 3 });
    for (const replica of fleet.replicas) {
      watched.push(await watchedClient(replica.name, 'rpc', replica.flagdEvaluationPort));
      watched.push(await watchedClient(replica.name, 'in-process', replica.flagdSyncPort));
    }
  });

  afterAll(async () => {
    // Providers first: one whose server went away keeps a reconnect timer.
    await OpenFeature.close();
    await fleet?.stop();
  });

  it('serves every deploy to RPC-mode (cache evicted) and in-process clients on every replica', async () => {
    const rpc = watched.filter((w) => w.name.endsWith(' rpc'));
    for (const w of rpc) {
      expect(await w.client.getNumberValue('rollout', -1)).toBe(fleet.deployed);
      // The second read is the provider's cache: only a configuration_change can make it fresh.
      expect((await w.client.getNumberDetails('rollout', -1)).reason).toBe('CACHED');
    }
    const deployToClient: number[] = [];
    const fetchToClient: number[] = [];
    for (let round = 0; round < 5; round++) {
      const seen = watched.map((w) => w.changes.length);
      const deployedAt = Date.now();
      const value = fleet.deployed + 1;
      fleet.deploy(value);
      await waitFor(() => watched.every((w, i) => w.changes.length > seen[i]), {
        timeoutMs: 15_000,
        intervalMs: 5,
        message: `a configuration change on every client for rollout=${value}`,
      });
      for (const w of watched) expect(await w.client.getNumberValue('rollout', -1)).toBe(value);
      for (const w of rpc) expect((await w.client.getNumberDetails('rollout', -1)).reason).toBe('CACHED');
      const last = Math.max(...watched.map((w, i) => w.changes[seen[i]]));
      const fetchedAt = Date.parse((await fleet.sourceStatus(fleet.replicas[0])).fetchedAt ?? '');
      deployToClient.push(last - deployedAt);
      fetchToClient.push(last - fetchedAt);
    }
    console.log(
      `flagd propagation to the last of 6 clients (3 replicas x RPC + in-process) over ${deployToClient.length} deploys: ` +
        `deploy -> client p50 ${percentile(deployToClient, 50)} ms, max ${Math.max(...deployToClient)} ms (includes the 1 s poll); ` +
        `fetch -> client p50 ${percentile(fetchToClient, 50)} ms, max ${Math.max(...fetchToClient)} ms`,
    );
    expect(Math.max(...fetchToClient)).toBeLessThan(1_000);
  });

  it('reconnects a client of a SIGKILLed replica to another one, which serves it the next deploys', async () => {
    const balancer = await TcpBalancer.start(fleet.replicas.map((replica) => replica.flagdEvaluationPort));
    const syncBalancer = await TcpBalancer.start(fleet.replicas.map((replica) => replica.flagdSyncPort));
    try {
      const clients = [
        await watchedClient('balanced', 'rpc', balancer.port),
        await watchedClient('balanced', 'in-process', syncBalancer.port),
      ];
      // Both clients went to replica-1 (round-robin starts there): kill it.
      const victim = fleet.replicas[0] as ServiceProcess;
      expect([...balancer.routes.values()]).toContain(victim.flagdEvaluationPort);
      expect([...syncBalancer.routes.values()]).toContain(victim.flagdSyncPort);
      // The victim's direct clients are done: closed first, they would retry it forever.
      for (const w of watched) if (w.replica === victim.name) await w.provider.onClose();
      await victim.kill('SIGKILL');
      const killedAt = Date.now();
      await waitFor(
        () =>
          [...balancer.routes.values(), ...syncBalancer.routes.values()].length >= 2 &&
          ![...balancer.routes.values()].includes(victim.flagdEvaluationPort) &&
          ![...syncBalancer.routes.values()].includes(victim.flagdSyncPort),
        { timeoutMs: 15_000, intervalMs: 20, message: 'both clients reconnected to a surviving replica' },
      );
      const value = fleet.deployed + 1;
      fleet.deploy(value);
      await waitFor(
        async () => {
          for (const w of clients) if ((await w.client.getNumberValue('rollout', -1)) !== value) return false;
          return true;
        },
        { timeoutMs: 20_000, intervalMs: 50, message: `both clients to converge on rollout=${value}` },
      );
      console.log(
        `flagd clients of a SIGKILLed replica (through a TCP balancer): reconnected elsewhere and served the next deploy ${Date.now() - killedAt} ms after the kill`,
      );
    } finally {
      await OpenFeature.close();
      await balancer.stop();
      await syncBalancer.stop();
    }
  });
});
