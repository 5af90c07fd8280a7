import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { redisCli } from './redis-cli';
import { kill, spawnRedis, waitUntilUp } from './redis-server';
import { waitFor } from './wait-for';

export const SENTINEL_MASTER_NAME = 'flagfleet-test';

/** A real Sentinel set on loopback: a master, a replica and three sentinels (quorum 2), fast detection. */
export interface RedisSentinelHandle {
  /** `redis-sentinel://` URL listing the three sentinels. */
  readonly url: string;
  /** The master's port as the sentinels report it. */
  masterPort(): Promise<number>;
  /** SIGKILL of the current master; returns its port. */
  killMaster(): Promise<number>;
  /** Resolves once every sentinel names a master other than `formerMaster` and it accepts writes. */
  waitForFailover(formerMaster: number, timeoutMs: number): Promise<void>;
  /** Kills every process and removes their files. Idempotent. */
  stop(): Promise<void>;
}

const DOWN_AFTER_MS = 1000;
// A failover attempt whose election split the sentinels' votes is retried after twice this: short, so a
// split vote on a loaded machine costs seconds, not the 20 s a 10 s timeout would.
const FAILOVER_TIMEOUT_MS = 3000;

export async function startRedisSentinel(): Promise<RedisSentinelHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'flagfleet-sentinel-'));
  const servers = new Map<number, ChildProcess>();
  const sentinels: { port: number; child: ChildProcess }[] = [];
  const stop = async () => {
    await Promise.all([...servers.values(), ...sentinels.map((s) => s.child)].map((child) => kill(child)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [masterPort, replicaPort] = [await freePort(), await freePort()];
    servers.set(masterPort, spawnRedis(masterPort, ['--dir', dir, '--repl-diskless-sync-delay', '0']));
    servers.set(
      replicaPort,
      spawnRedis(replicaPort, ['--dir', dir, '--replicaof', '127.0.0.1', String(masterPort)]),
    );
    await Promise.all([...servers].map(([port, child]) => waitUntilUp(port, child)));
    await waitFor(
      async () => (await redisCli(replicaPort, 'INFO', 'replication')).includes('master_link_status:up'),
      {
        timeoutMs: 10_000,
        intervalMs: 50,
        message: 'the replica to sync with the master',
      },
    );
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      // A sentinel rewrites its config file: one writable file each.
      const config = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        config,
        [
          `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
          `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} ${DOWN_AFTER_MS}`,
          `sentinel failover-timeout ${SENTINEL_MASTER_NAME} ${FAILOVER_TIMEOUT_MS}`,
          `sentinel parallel-syncs ${SENTINEL_MASTER_NAME} 1`,
          '',
        ].join('\n'),
      );
      sentinels.push({ port, child: spawnRedis(port, ['--sentinel'], config) });
    }
    await Promise.all(sentinels.map((s) => waitUntilUp(s.port, s.child)));
    // Each sentinel must know the replica and the other sentinels before a failover can be agreed.
    await waitFor(
      async () => {
        const views = await Promise.all(
          sentinels.map((s) => redisCli(s.port, 'SENTINEL', 'MASTER', SENTINEL_MASTER_NAME)),
        );
        return views.every((view) => /num-slaves\n1\b/.test(view) && /num-other-sentinels\n2\b/.test(view));
      },
      {
        timeoutMs: 20_000,
        intervalMs: 100,
        message: 'every sentinel to know the replica and the other sentinels',
      },
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const masterPort = async (): Promise<number> => {
    const answer = await redisCli(
      sentinels[0].port,
      'SENTINEL',
      'GET-MASTER-ADDR-BY-NAME',
      SENTINEL_MASTER_NAME,
    );
    return Number(answer.split('\n')[1]);
  };
  return {
    url: `redis-sentinel://${sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/${SENTINEL_MASTER_NAME}`,
    masterPort,
    async killMaster() {
      const port = await masterPort();
      const child = servers.get(port);
      if (!child) throw new Error(`no server on port ${port}`);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      return port;
    },
    async waitForFailover(formerMaster, timeoutMs) {
      await waitFor(
        async () => {
          const named = await Promise.all(
            sentinels.map((s) =>
              redisCli(s.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER_NAME),
            ),
          );
          const ports = new Set(named.map((answer) => Number(answer.split('\n')[1])));
          if (ports.size !== 1 || ports.has(formerMaster)) return false;
          const [port] = ports;
          return (await redisCli(port, 'INFO', 'replication')).includes('role:master');
        },
        { timeoutMs, intervalMs: 100, message: `the sentinels to promote a replica of port ${formerMaster}` },
      );
    },
    stop,
  };
}
