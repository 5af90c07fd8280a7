import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The one error body of every route that is not a protocol's (admin, webhook subscriptions and dead
 * letters, status, SSE, unknown routes): RFC 9457 problem details. `type` is always `about:blank` (the
 * status says what kind of problem it is), `title` the status text, `detail` what is wrong, and `code`
 * (for coded errors, docs/errors.md) what a client matches on.
 */
export interface ProblemDetails {
  readonly type: 'about:blank';
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code?: string;
}

export function problemDetails(status: number, detail: string, code?: string): ProblemDetails {
  const title = STATUS_CODES[status] ?? 'Error';
  return code === undefined
    ? { type: 'about:blank', title, status, detail }
    : { type: 'about:blank', title, status, detail, code };
}

/** Writes a problem as the answer (its status, `application/problem+json`). */
export function sendProblem(reply: FastifyReply, problem: ProblemDetails): void {
  reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
