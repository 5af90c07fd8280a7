/**
 * The baseline of bench/service.ts: a bare `node:http` server that drains the request body and answers
 * a fixed JSON body (the same bytes the service answers). Run as its own process, like the service:
 * `npx tsx bench/bare-server.ts <port> <body-file>`; prints `listening <port>` when ready.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export function startBareServer(body: Buffer, port = 0): Promise<Server> {
  const server = createServer((request, response) => {
    request.on('data', () => undefined);
    request.on('end', () => {
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': body.length,
      });
      response.end(body);
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (require.main === module) {
  const [port, file] = process.argv.slice(2);
  void startBareServer(readFileSync(file), Number(port)).then((server) => {
    process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
  });
}
