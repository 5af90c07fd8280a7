import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '@flagfleet/flag-engine';
import { AuthRejectedException } from '../auth';
import { ofrepError } from '../evaluation/ofrep-answer';
import type { Logger } from '@flagfleet/core';

const OFREP_SINGLE = /^\/ofrep\/v1\/evaluate\/flags\/([^/?]+)/;

/**
 * Every error answer of the service: OFREP-shaped bodies on OFREP routes (`{key?, errorCode, errorDetails}`),
 * `{statusCode, error, message}` elsewhere, no body for 401/403, and never a stack trace.
 */
@Catch()
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
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500 && !(exception instanceof HttpException)) {
      this.logger.error('unhandled error', { err: exception, method: request.method, url: request.url });
    }
    const message = exception instanceof HttpException ? exception.message : 'internal error';
    const url = request.url ?? '';
    if (url.startsWith('/ofrep/')) {
      reply.code(status).send(ofrepErrorBody(url, status, message));
      return;
    }
    const response = exception instanceof HttpException ? exception.getResponse() : undefined;
    // Nest exceptions with an object response (Terminus' health report, validation details) keep their body.
    if (typeof response === 'object' && response !== null) reply.code(status).send(response);
    else reply.code(status).send({ statusCode: status, message });
  }
}

function ofrepErrorBody(url: string, status: number, message: string): unknown {
  if (status >= 500) return { errorDetails: 'internal error' };
  const errorCode = status === 400 ? ErrorCode.INVALID_CONTEXT : ErrorCode.GENERAL;
  const single = OFREP_SINGLE.exec(url);
  let key: string | undefined;
  if (single) {
    try {
      key = decodeURIComponent(single[1]);
    } catch {
      key = single[1];
    }
  }
  return ofrepError(status, errorCode, message, key).body;
}
