import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ConfigurationCatalogue } from './catalogue/configuration-catalogue';
import type { DataPlane } from './data-plane/data-plane';
import {
  DEFAULT_POLL_INTERVAL_SECONDS,
  LOCAL_APPLICATION,
  LOCAL_ENVIRONMENT,
  type EmulatorOptions,
  type EmulatorStats,
  type RunningEmulator,
} from './emulator-options';
import { checkIdentifier, zeroStats } from './admin/admin-routes';
import { FaultPlan } from './faults/fault-plan';
import { FolderSource } from './folder/folder-source';
import { CONTENT_LIMIT_BYTES, createRequestHandler } from './http/request-handler';
import { TokenLedger } from './sessions/token-ledger';

/** Starts an AppConfigData-compatible server (with its admin API) and resolves once it listens. */
export async function startAppConfigEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const log = options.logger ?? (() => undefined);
  const catalogue = new ConfigurationCatalogue();
  const ledger = new TokenLedger(options.clock ?? Date.now, options.allowTokenReuse ?? false);
  const faults = new FaultPlan();
  const stats: EmulatorStats = zeroStats();
  const plane: DataPlane = {
    catalogue,
    ledger,
    stats,
    pollIntervalSeconds: options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS,
  };

  const deploy = (
    app: string,
    env: string,
    profile: string,
    content: Buffer,
    contentType: string,
    label?: string,
  ): number => {
    [app, env, profile].forEach(checkIdentifier);
    const { versionNumber } = catalogue.deploy(app, env, profile, content, contentType, label);
    log(`deployed ${app}/${env}/${profile} version ${versionNumber} (${content.length} bytes)`);
    return versionNumber;
  };

  // Latency faults hold a call open; closing the emulator must not wait for them.
  const pending = new Set<{ timer: NodeJS.Timeout; reject: (error: Error) => void }>();
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const entry = { timer: setTimeout(() => (pending.delete(entry), resolve()), ms), reject };
      pending.add(entry);
    });

  const folder = options.flagsDir
    ? new FolderSource(options.flagsDir, options.maxFileBytes ?? CONTENT_LIMIT_BYTES, {
        current: (profile) => catalogue.latest(LOCAL_APPLICATION, LOCAL_ENVIRONMENT, profile)?.content,
        deploy: (profile, content) =>
          deploy(LOCAL_APPLICATION, LOCAL_ENVIRONMENT, profile, content, 'application/json'),
        profiles: options.onFolderProfiles,
        log,
      })
    : undefined;
  await folder?.start();

  const adminApi = options.adminApi ?? true;
  const server = createServer(createRequestHandler({ plane, faults, log, delay, deploy, adminApi }));
  server.on('clientError', (_error, socket) => socket.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await folder?.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log(`AppConfigData emulator listening on ${url}`);
  if (adminApi && ipaddr.process(address.address).range() !== 'loopback') {
    log(
      `warning: the admin API (deploy, faults) has no authentication and is reachable beyond loopback ` +
        `on ${address.address}; bind to 127.0.0.1 unless every host that can reach it is trusted`,
    );
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    deploy: (app, env, profile, content, contentType = 'application/json', versionLabel) =>
      deploy(app, env, profile, Buffer.from(content), contentType, versionLabel),
    stats: () => ({ ...stats }),
    close: () =>
      (closing ??= (async () => {
        for (const entry of pending) {
          clearTimeout(entry.timer);
          entry.reject(new Error('emulator closed'));
        }
        pending.clear();
        await folder?.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })()),
  };
}
