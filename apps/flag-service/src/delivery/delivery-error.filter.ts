import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ChangeDeliveryError } from '@flagfleet/change-delivery';

/** Coded delivery errors answer `{statusCode, code, message}` with their own status. */
@Catch(ChangeDeliveryError)
export class DeliveryErrorFilter implements ExceptionFilter {
  catch(error: ChangeDeliveryError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    reply.code(error.status).send({ statusCode: error.status, code: error.code, message: error.message });
  }
}
