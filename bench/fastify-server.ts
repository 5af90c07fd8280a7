/**
 * A plain Fastify route for bench/service.ts (`BENCH_WORKLOADS=fastify`): what Fastify alone costs next
 * to bare node:http. One POST route, Fastify's own JSON body parser, the same fixed answer bytes, no
 * logger. `npx tsx bench/fastify-server.ts <port> <body-file>`.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [port, file] = process.argv.slice(2);
const body = readFileSync(file);
const app = Fastify({ logger: false });

app.post('/', (_request, reply) => {
  void reply.type('application/json; charset=utf-8').send(body);
});
void app.listen({ port: Number(port), host: '127.0.0.1' });
