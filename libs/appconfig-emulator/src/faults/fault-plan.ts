import { AdminRequestInvalidError } from '../errors';

/** Which API a call fault hits: AppConfigData, or the control plane (ListDeployments, GetHostedConfigurationVersion). */
export type FaultPlane = 'data' | 'control';

/** Faults applied to the next calls of one plane, one per call. */
export type CallFault =
  | { readonly type: 'throttling' }
  | { readonly type: 'internal-error' }
  | { readonly type: 'latency'; readonly latencyMs: number }
  | { readonly type: 'disconnect' };

/** Faults acting once on all outstanding tokens. */
export type TokenFault = { readonly type: 'expire-tokens' } | { readonly type: 'corrupt-tokens' };

export interface FaultRequest {
  readonly fault: CallFault | TokenFault;
  readonly count: number;
  readonly plane: FaultPlane;
}

const CALL_FAULTS = ['throttling', 'internal-error', 'latency', 'disconnect'] as const;
const TOKEN_FAULTS = ['expire-tokens', 'corrupt-tokens'] as const;
const MAX_LATENCY_MS = 600_000;

/** Parses the body of `POST /admin/faults`: `{"type": T, "count"?: n, "latencyMs"?: ms, "plane"?: P}`. */
export function parseFaultRequest(body: unknown): FaultRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AdminRequestInvalidError('fault must be a JSON object {"type", "count"?, "latencyMs"?}');
  }
  const { type, count = 1, latencyMs, plane = 'data' } = body as Record<string, unknown>;
  if (!Number.isInteger(count) || (count as number) < 1)
    throw new AdminRequestInvalidError('count must be a positive integer');
  if (plane !== 'data' && plane !== 'control')
    throw new AdminRequestInvalidError('plane must be data or control');
  if ((TOKEN_FAULTS as readonly unknown[]).includes(type)) {
    return { fault: { type: type as TokenFault['type'] }, count: 1, plane: 'data' };
  }
  if (!(CALL_FAULTS as readonly unknown[]).includes(type)) {
    throw new AdminRequestInvalidError(
      `fault type must be one of ${[...CALL_FAULTS, ...TOKEN_FAULTS].join(', ')}`,
    );
  }
  if (type === 'latency') {
    if (!Number.isInteger(latencyMs) || (latencyMs as number) < 0 || (latencyMs as number) > MAX_LATENCY_MS) {
      throw new AdminRequestInvalidError(`latencyMs must be an integer in 0..${MAX_LATENCY_MS}`);
    }
    return { fault: { type, latencyMs: latencyMs as number }, count: count as number, plane };
  }
  return { fault: { type } as CallFault, count: count as number, plane };
}

/** A queue of armed call faults, consumed in the order they were armed. */
export class FaultPlan {
  private queue: { fault: CallFault; remaining: number; plane: FaultPlane }[] = [];

  arm(fault: CallFault, count: number, plane: FaultPlane = 'data'): void {
    this.queue.push({ fault, remaining: count, plane });
  }

  /** The fault for this call of `plane`, if any is armed. */
  take(plane: FaultPlane = 'data'): CallFault | undefined {
    const index = this.queue.findIndex((entry) => entry.plane === plane);
    const head = this.queue[index];
    if (!head) return undefined;
    if (--head.remaining === 0) this.queue.splice(index, 1);
    return head.fault;
  }

  clear(): void {
    this.queue = [];
  }
}
