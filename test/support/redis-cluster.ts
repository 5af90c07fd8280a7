import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { redisCli } from './redis-cli';
import { kill, spawnRedis, waitUntilUp } from './redis-server';
import { waitFor } from './wait-for';

/** A real Redis Cluster on loopback: 3 masters, 3 replicas, fast failure detection. */
export interface RedisClusterHandle {
  /** `redis-cluster://` URL listing every node as a seed. */
  readonly url: string;
  /** The port of the live master serving `key`'s slot. */
  masterOf(key: string): Promise<number>;
  /** The port of the replica of the master on `masterPort`. */
  replicaOf(masterPort: number): Promise<number>;
  /** SIGKILL of one node (no shutdown, no goodbye to the cluster). */
  killNode(port: number): Promise<void>;
  /** SIGSTOP / SIGCONT of one node: a replica paused this way takes over only once resumed. */
  pauseNode(port: number): void;
  resumeNode(port: number): void;
  /** Resolves once `key`'s slot is served by a live master other than `formerMaster` and the cluster is ok. */
  waitForFailover(key: string, formerMaster: number, timeoutMs: number): Promise<void>;
  /** Kills every node and removes their files. Idempotent. */
  stop(): Promise<void>;
}

/** How long a master may be unreachable before it is failed over: short, so tests stay fast. */
const NODE_TIMEOUT_MS = 1000;

interface ClusterNode {
  readonly port: number;
  readonly busPort: number;
  readonly child: ChildProcess;
}

interface NodeLine {
  readonly id: string;
  readonly port: number;
  /** The master's id, for a replica. */
  readonly master: string;
  readonly flags: string[];
  readonly slots: [number, number][];
}

function parseNodes(text: string): NodeLine[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, address, flags, master, , , , , ...slots] = line.split(' ');
      return {
        id,
        master,
        port: Number(/:(\d+)@/.exec(address)?.[1]),
        flags: flags.split(','),
        slots: slots
          .filter((slot) => !slot.startsWith('['))
          .map((slot) => {
            const [from, to] = slot.split('-').map(Number);
            return [from, to ?? from] as [number, number];
          }),
      };
    });
}

function clusterCreate(ports: readonly number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { timeout: 20_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`redis-cli --cluster create: ${stderr || stdout}`)) : resolve(),
    );
  });
}

export async function startRedisCluster(): Promise<RedisClusterHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'flagfleet-cluster-'));
  const nodes: ClusterNode[] = [];
  const dead = new Set<number>();
  const stop = async () => {
    await Promise.all(nodes.map((node) => kill(node.child)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 6; i += 1) {
      const [port, busPort] = [await freePort(), await freePort()];
      const child = spawnRedis(port, [
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(busPort),
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        String(NODE_TIMEOUT_MS),
        // A shard that is down does not stop the others from serving: the failure stays local.
        '--cluster-require-full-coverage',
        'no',
        '--repl-diskless-sync-delay',
        '0',
        '--dir',
        dir,
      ]);
      nodes.push({ port, busPort, child });
    }
    await Promise.all(nodes.map((node) => waitUntilUp(node.port, node.child)));
    await clusterCreate(nodes.map((node) => node.port));
    await waitFor(
      async () => {
        const states = await Promise.all(nodes.map((node) => redisCli(node.port, 'CLUSTER', 'INFO')));
        return states.every((info) => info.includes('cluster_state:ok'));
      },
      { timeoutMs: 20_000, intervalMs: 100, message: 'every cluster node to report cluster_state:ok' },
    );
    // A replica that never synced refuses to take over: wait until each one is linked to its master.
    await waitFor(
      async () => {
        const roles = await Promise.all(nodes.map((node) => redisCli(node.port, 'INFO', 'replication')));
        const replicas = roles.filter((info) => info.includes('role:slave'));
        return replicas.length === 3 && replicas.every((info) => info.includes('master_link_status:up'));
      },
      { timeoutMs: 20_000, intervalMs: 100, message: 'every cluster replica to sync with its master' },
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const byPort = (port: number): ClusterNode => {
    const node = nodes.find((candidate) => candidate.port === port);
    if (!node) throw new Error(`no cluster node on port ${port}`);
    return node;
  };
  const live = () => nodes.filter((node) => !dead.has(node.port));
  const view = async (): Promise<NodeLine[]> => {
    let lastError: unknown;
    for (const node of live()) {
      try {
        return parseNodes(await redisCli(node.port, 'CLUSTER', 'NODES'));
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  };
  const masterOf = async (key: string): Promise<number> => {
    const slot = Number(await redisCli(live()[0].port, 'CLUSTER', 'KEYSLOT', key));
    const master = (await view()).find(
      (node) =>
        node.flags.includes('master') &&
        !node.flags.includes('fail') &&
        !dead.has(node.port) &&
        node.slots.some(([from, to]) => slot >= from && slot <= to),
    );
    if (!master) throw new Error(`no live master serves slot ${slot} (${key})`);
    return master.port;
  };
  return {
    url: `redis-cluster://${nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`,
    masterOf,
    async replicaOf(masterPort) {
      const lines = await view();
      const master = lines.find((line) => line.port === masterPort);
      const replica = lines.find((line) => line.master === master?.id);
      if (!replica) throw new Error(`no replica of port ${masterPort}`);
      return replica.port;
    },
    async killNode(port) {
      const node = byPort(port);
      dead.add(port);
      const exited = new Promise((resolve) => node.child.once('exit', resolve));
      node.child.kill('SIGKILL');
      await exited;
    },
    pauseNode: (port) => void byPort(port).child.kill('SIGSTOP'),
    resumeNode: (port) => void byPort(port).child.kill('SIGCONT'),
    async waitForFailover(key, formerMaster, timeoutMs) {
      await waitFor(
        async () => {
          if ((await masterOf(key)) === formerMaster) return false;
          const states = await Promise.all(live().map((node) => redisCli(node.port, 'CLUSTER', 'INFO')));
          return states.every((info) => info.includes('cluster_state:ok'));
        },
        { timeoutMs, intervalMs: 100, message: `a replica to take over ${key} from port ${formerMaster}` },
      );
    },
    stop,
  };
}
