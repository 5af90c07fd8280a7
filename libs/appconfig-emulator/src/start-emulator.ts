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
import { retrievalFormatsSliced, type RetrievalFormats } from './feature-flags/retrieval-format';
import { FolderSource } from './folder/folder-source';
import { CONTENT_LIMIT_BYTES, createRequestHandler } from './http/request-handler';
import { TokenLedger } from './sessions/token-ledger';

/** The endpoint the SDK is given for an emulator without a listener: never resolved, only dispatched. */
export const IN_PROCESS_URL = 'http://appconfig.in-process.invalid';

/** Starts an AppConfigData-compatible server (with its admin API) and resolves once it listens. */
export async function startAppConfigEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const log = options.logger ?? (() => undefined);
  const catalogue = new ConfigurationCatalogue();
  const ledger = new TokenLedger(
    options.clock ?? Date.now,
    options.allowTokenReuse ?? false,
    options.maxTokens,
  );
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
    converted?: RetrievalFormats | null,
  ): number => {
    [app, env, profile].forEach(checkIdentifier);
    const { versionNumber } = catalogue.deploy(app, env, profile, content, contentType, label, converted);
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
        // Converted in slices: a file edit must not hold the process the emulator is embedded in (the service).
        deploy: async (profile, content) => {
          const converted = await retrievalFormatsSliced(content, 'application/json');
          deploy(
            LOCAL_APPLICATION,
            LOCAL_ENVIRONMENT,
            profile,
            content,
            'application/json',
            undefined,
            converted,
          );
        },
        profiles: options.onFolderProfiles,
        log,
      })
    : undefined;
  await folder?.start();

  const adminApi = options.adminApi ?? true;
  const dispatch = createRequestHandler({ plane, faults, log, delay, deploy, adminApi });
  const rejectPending = (): void => {
    for (const entry of pending) {
      clearTimeout(entry.timer);
      entry.reject(new Error('emulator closed'));
    }
    pending.clear();
  };
  const common = {
    dispatch,
    deploy: (
      app: string,
      env: string,
      profile: string,
      content: string | Uint8Array,
      contentType = 'application/json',
      versionLabel?: string,
    ) => deploy(app, env, profile, Buffer.from(content), contentType, versionLabel),
    stats: () => ({ ...stats }),
  };
  if (options.listen === false) {
    log('AppConfigData emulator serving in process only (no listener)');
    let closed: Promise<void> | undefined;
    return {
      ...common,
      url: IN_PROCESS_URL,
      port: 0,
      close: () => (closed ??= (async () => (rejectPending(), await folder?.close()))()),
    };
  }
  const server = createServer(dispatch);
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
    ...common,
    close: () =>
      (closing ??= (async () => {
        rejectPending();
        await folder?.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })()),
  };
}
