import type { DataPlane } from '../data-plane/data-plane';
import type { EmulatorStats } from '../emulator-options';
import { AdminRequestInvalidError } from '../errors';
import { parseFaultRequest, type FaultPlan } from '../faults/fault-plan';

export interface AdminState {
  /** Its ledger takes token faults; its stats are the ones the admin API reads and resets. */
  readonly plane: DataPlane;
  readonly faults: FaultPlan;
  readonly log: (line: string) => void;
}

const DEPLOY_PATH = /^\/admin\/applications\/([^/]+)\/environments\/([^/]+)\/configurations\/([^/]+)$/;

/** The `{app, env, profile}` named by a deploy path, or undefined when the path is not one. */
export function matchDeployPath(path: string): [string, string, string] | undefined {
  const match = DEPLOY_PATH.exec(path);
  if (!match) return undefined;
  const names = match.slice(1).map((segment) => {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      throw new AdminRequestInvalidError(
        `path segment ${JSON.stringify(segment)} is not valid percent-encoding`,
      );
    }
    return checkIdentifier(name);
  });
  return names as [string, string, string];
}

/** Names follow AppConfigData's identifier rule: 1–128 characters. */
export function checkIdentifier(name: string): string {
  if (name.length < 1 || name.length > 128)
    throw new AdminRequestInvalidError('identifiers must have 1 to 128 characters');
  return name;
}

/** Stats with every count at zero. */
export function zeroStats(): EmulatorStats {
  return {
    startConfigurationSession: 0,
    getLatestConfiguration: 0,
    configurationsReturned: 0,
    listDeployments: 0,
    getHostedConfigurationVersion: 0,
  };
}

/** Zeroes the counts in place: the data plane keeps counting into the same object. */
export function resetStats(stats: EmulatorStats): void {
  Object.assign(stats, zeroStats());
}

/** `POST /admin/faults`: call faults are queued, token faults act at once. */
export function armFault(state: AdminState, body: unknown): { type: string; count: number } {
  const { fault, count, plane } = parseFaultRequest(body);
  if (fault.type === 'expire-tokens') state.plane.ledger.expireAll();
  else if (fault.type === 'corrupt-tokens') state.plane.ledger.corruptAll();
  else state.faults.arm(fault, count, plane);
  state.log(`fault armed: ${fault.type} x${count} (${plane} plane)`);
  return { type: fault.type, count };
}
