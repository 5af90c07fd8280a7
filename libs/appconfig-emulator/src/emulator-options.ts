import type { IncomingMessage, ServerResponse } from 'node:http';
export interface EmulatorOptions {
  /** 0 or undefined = ephemeral. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Next-Poll-Interval-In-Seconds answered when the session asked for no minimum; default 60 (AWS). */
  pollIntervalSeconds?: number;
  /** Folder mode: every `<profile>.json` becomes a profile of app `local`, env `local`; watched. */
  flagsDir?: string;
  /**
   * Folder mode: called after every scan with the profiles whose files are there now (sorted), so a
   * caller can follow files being added and removed (a removed file's last version is still served).
   */
  onFolderProfiles?: (profiles: readonly string[]) => void;
  /** Folder mode: larger files are skipped, unread, with a log line; default the admin API's content limit. */
  maxFileBytes?: number;
  /** Epoch ms; injectable for token-expiry tests. */
  clock?: () => number;
  /** Lenient mode: a token may be redeemed more than once (default false: reuse gives `Corrupted`). */
  allowTokenReuse?: boolean;
  /** Outstanding tokens kept at most; issuing past it forgets the oldest (answered as invalid). Default 10 000. */
  maxTokens?: number;
  /**
   * false: no TCP listener at all; calls reach the emulator only through `RunningEmulator.dispatch`, in
   * this process (the embedded default: no local process can read documents past API_KEYS). Default true.
   */
  listen?: boolean;
  /**
   * Serve the admin API (deploy, stats, faults) on the port; default true. It has no authentication:
   * the service's embedded emulator turns it off, so that file edits are the only way to deploy there.
   */
  adminApi?: boolean;
  logger?: (line: string) => void;
}

export interface EmulatorStats {
  startConfigurationSession: number;
  getLatestConfiguration: number;
  configurationsReturned: number;
  /** Control-plane calls answered (ListDeployments, GetHostedConfigurationVersion). */
  listDeployments: number;
  getHostedConfigurationVersion: number;
}

export interface RunningEmulator {
  /** http://127.0.0.1:<port>; with `listen: false` a name only `dispatch` answers. */
  readonly url: string;
  /** 0 with `listen: false`. */
  readonly port: number;
  /** The emulator's request listener, for calls made in process (an SDK request handler). */
  readonly dispatch: (req: IncomingMessage, res: ServerResponse) => void;
  /** Deploys a new version at once and returns its versionNumber (1, 2, ...). */
  deploy(
    app: string,
    env: string,
    profile: string,
    content: string | Uint8Array,
    contentType?: string,
    versionLabel?: string,
  ): number;
  stats(): EmulatorStats;
  close(): Promise<void>;
}

/** Folder mode serves its profiles under this application and environment. */
export const LOCAL_APPLICATION = 'local';
export const LOCAL_ENVIRONMENT = 'local';
/** AWS answers 60 s when the session names no minimum. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 60;
