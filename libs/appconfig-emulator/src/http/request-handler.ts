import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { armFault, matchDeployPath, resetStats, type AdminState } from '../admin/admin-routes';
import { answerControlPlane } from '../control-plane/hosted-configuration';
import { AwsServiceError } from '../data-plane/aws-service-error';
import { getLatestConfiguration } from '../data-plane/get-latest-configuration';
import { startConfigurationSession } from '../data-plane/start-configuration-session';
import type { FaultPlane } from '../faults/fault-plan';
import { EmulatorError, RouteNotFoundError } from '../errors';
import { parseJson, readBody } from './read-body';
import { replyAwsError, replyEmulatorError, replyJson } from './replies';

/** AppConfig's hosted configuration store accepts configurations of at most 2 MB by default (docs/emulator.md). */
export const CONTENT_LIMIT_BYTES = 2 * 1024 * 1024;
/** Session requests and fault requests are a few hundred bytes. */
const JSON_LIMIT_BYTES = 64 * 1024;

export interface HandlerState extends AdminState {
  /** false: every admin route answers 404, as an unknown route. */
  readonly adminApi: boolean;
  /** Waits `ms`, or rejects when the emulator closes meanwhile. */
  readonly delay: (ms: number) => Promise<void>;
  readonly deploy: (
    app: string,
    env: string,
    profile: string,
    content: Buffer,
    contentType: string,
    label?: string,
  ) => number;
}

/** Routes one request; every failure becomes an answer, never an exception escaping to node:http. */
export function createRequestHandler(
  state: HandlerState,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(state, req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof AwsServiceError) replyAwsError(res, error);
      else if (error instanceof EmulatorError) replyEmulatorError(res, error);
      else {
        state.log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
        replyAwsError(res, AwsServiceError.internal());
      }
    });
  };
}

async function route(state: HandlerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = req.method ?? 'GET';
  const path = url.pathname;

  if (method === 'POST' && path === '/configurationsessions') {
    const body = await readBody(req, JSON_LIMIT_BYTES);
    if (!(await applyCallFault(state, req))) return;
    let parsed: unknown;
    try {
      parsed = parseJson(body);
    } catch {
      throw AwsServiceError.badRequest('Request body is not valid JSON');
    }
    const token = startConfigurationSession(state.plane, parsed);
    return replyJson(res, 201, { InitialConfigurationToken: token }, { 'x-amzn-requestid': randomUUID() });
  }
  if (method === 'GET' && path === '/configuration') {
    if (!(await applyCallFault(state, req))) return;
    const answer = getLatestConfiguration(
      state.plane,
      url.searchParams.get('configuration_token'),
      headerValue(req.headers.accept),
    );
    res.writeHead(200, {
      'content-type': answer.contentType,
      'content-length': answer.content.length,
      'next-poll-configuration-token': answer.nextPollConfigurationToken,
      'next-poll-interval-in-seconds': String(answer.nextPollIntervalInSeconds),
      'version-label': answer.versionLabel,
      'x-amzn-requestid': randomUUID(),
    });
    res.end(answer.content);
    return;
  }
  if (method === 'GET' && path.startsWith('/applications/')) {
    if (!(await applyCallFault(state, req, 'control'))) return;
    if (answerControlPlane(state.plane, path, res)) return;
  }
  if (!state.adminApi) throw new RouteNotFoundError(method, path);

  const deployTarget = matchDeployPath(path);
  if (deployTarget && method === 'PUT') {
    const content = await readBody(req, CONTENT_LIMIT_BYTES);
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    const label = headerValue(req.headers['version-label']);
    const versionNumber = state.deploy(...deployTarget, content, contentType, label);
    return replyJson(res, 200, { versionNumber });
  }
  if (path === '/admin/stats' && method === 'GET') return replyJson(res, 200, state.plane.stats);
  if (path === '/admin/stats' && method === 'DELETE') {
    resetStats(state.plane.stats);
    return replyJson(res, 200, state.plane.stats);
  }
  if (path === '/admin/faults' && method === 'POST') {
    return replyJson(res, 200, armFault(state, parseJson(await readBody(req, JSON_LIMIT_BYTES))));
  }
  if (path === '/admin/faults' && method === 'DELETE') {
    state.faults.clear();
    return replyJson(res, 200, { cleared: true });
  }
  throw new RouteNotFoundError(method, path);
}

/** Applies the next armed fault; false when the call must not be answered normally (already answered or dropped). */
async function applyCallFault(
  state: HandlerState,
  req: IncomingMessage,
  plane: FaultPlane = 'data',
): Promise<boolean> {
  const fault = state.faults.take(plane);
  if (!fault) return true;
  state.log(`fault applied: ${fault.type}`);
  switch (fault.type) {
    case 'throttling':
      throw AwsServiceError.throttling();
    case 'internal-error':
      throw AwsServiceError.internal();
    case 'latency':
      await state.delay(fault.latencyMs);
      return true;
    case 'disconnect':
      req.socket.destroy();
      return false;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single ? single.slice(0, 1024) : undefined;
}
