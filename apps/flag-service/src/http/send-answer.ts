import type { FastifyReply } from 'fastify';
import type { HttpAnswer } from '../evaluation/ofrep-answer';

/** Writes a computed answer straight to Fastify: the hot path skips Nest's response mapping. */
export function sendAnswer(reply: FastifyReply, answer: HttpAnswer): void {
  reply.code(answer.status);
  if (answer.headers) reply.headers(answer.headers);
  if (answer.json !== undefined) reply.type('application/json; charset=utf-8').send(answer.json);
  else if (answer.body === undefined) reply.send();
  else reply.send(answer.body);
}
