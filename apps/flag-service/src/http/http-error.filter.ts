import { Catch, HttpException, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthRejectedException } from '../auth';
import { ofrepRefusal } from '../evaluation/ofrep-answer';
import { CodedError, Logger } from '@flagfleet/core';
import { problemDetails, sendProblem } from './problem-details';

const OFREP_SINGLE = /^\/ofrep\/v1\/evaluate\/flags\/([^/?]+)/;

/**
 * Every error answer of the service, the one place errors become HTTP: a coded error (CodedError of
 * @flagfleet/core, from any lib) answers its own status; OFREP-shaped bodies on OFREP routes
 * (`{key?, errorCode, errorDetails}`), problem details (problem-details.ts) on every other route, the health
 * report on /health (probes read it), no body for 401/403, and never a stack trace.
 */
@Catch()
@Injectable()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent) return;
    if (exception instanceof AuthRejectedException) {
      if (exception.authStatus === 401) reply.header('www-authenticate', 'Bearer');
      reply.code(exception.authStatus).send();
      return;
    }
    const coded = exception instanceof CodedError ? exception : undefined;
    const status = coded?.status ?? (exception instanceof HttpException ? exception.getStatus() : 500);
    if (status >= 500 && !(exception instanceof HttpException)) {
      const line = coded ? coded.message : 'unhandled error';
      this.logger.error(line, { err: exception, method: request.method, url: request.url });
    }
    const message =
      coded?.message ?? (exception instanceof HttpException ? exception.message : 'internal error');
    const url = request.url ?? '';
    if (url.startsWith('/ofrep/')) {
      const refusal = ofrepRefusal(status, message, ofrepKey(url));
      reply.code(status).send(refusal.body);
      return;
    }
    // Terminus' answer is the health report itself, failing checks named: probes and operators read it.
    const response = exception instanceof HttpException ? exception.getResponse() : undefined;
    if (url.startsWith('/health/') && typeof response === 'object' && response !== null) {
      reply.code(status).send(response);
      return;
    }
    sendProblem(reply, problemDetails(status, message, coded?.code));
  }
}

/** The flag key of a single-flag OFREP URL, as the route decodes it. */
function ofrepKey(url: string): string | undefined {
  const single = OFREP_SINGLE.exec(url);
  if (!single) return undefined;
  try {
    return decodeURIComponent(single[1]);
  } catch {
    return single[1];
  }
}
