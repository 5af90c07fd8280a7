import { readdir } from 'node:fs/promises';
import {
  startAppConfigEmulator,
  LOCAL_APPLICATION,
  LOCAL_ENVIRONMENT,
  type RunningEmulator,
} from '@flagfleet/appconfig-emulator';
import type { AppConfigSource } from '@flagfleet/appconfig-poller';
import { FlagsDirEmptyError } from '../errors';

export const DEFAULT_EMBEDDED_PROFILE = 'flags';
const PROFILE_FILE = /^([A-Za-z0-9._-]{1,128})\.json$/;

/** `local/local/<profile>` per `<profile>.json`; `flags` first when present (the default source). */
export async function embeddedSources(flagsDir: string): Promise<AppConfigSource[]> {
  let names: string[];
  try {
    names = await readdir(flagsDir);
  } catch (error) {
    throw new FlagsDirEmptyError(flagsDir, { cause: error });
  }
  const profiles = names.flatMap((name) => PROFILE_FILE.exec(name)?.[1] ?? []).sort();
  if (profiles.length === 0) throw new FlagsDirEmptyError(flagsDir);
  const ordered = profiles.includes(DEFAULT_EMBEDDED_PROFILE)
    ? [DEFAULT_EMBEDDED_PROFILE, ...profiles.filter((profile) => profile !== DEFAULT_EMBEDDED_PROFILE)]
    : profiles;
  return ordered.map(embeddedSource);
}

export function embeddedSource(profile: string): AppConfigSource {
  return { application: LOCAL_APPLICATION, environment: LOCAL_ENVIRONMENT, profile };
}

/** The profiles among a folder's that the service serves (the same file names as at start-up). */
export function servedProfiles(profiles: readonly string[]): string[] {
  return profiles.filter((profile) => PROFILE_FILE.test(`${profile}.json`));
}

/**
 * The in-process emulator serving FLAGS_DIR with no listener and without its admin API: a port would let any
 * local process read every document past API_KEYS (and deploy or arm faults past ADMIN_API_KEYS). File edits
 * are the way to deploy here.
 */
export function startEmbeddedEmulator(
  flagsDir: string,
  pollIntervalSeconds: number,
  maxFileBytes: number,
  log: (line: string) => void,
  onFolderProfiles?: (profiles: readonly string[]) => void,
): Promise<RunningEmulator> {
  return startAppConfigEmulator({
    listen: false,
    pollIntervalSeconds,
    flagsDir,
    maxFileBytes,
    adminApi: false,
    logger: log,
    onFolderProfiles,
  });
}
