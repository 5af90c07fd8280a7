/**
 * The baseline of bench/service.ts: a bare `node:http` server that reads the request body, parses it as
 * JSON (every evaluation server must read the context) and answers a fixed JSON body (the same bytes the
 * service answers). Run as its own process, like the service: `npx tsx bench/bare-server.ts <port> <body-file>`.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const [port, file] = process.argv.slice(2);
const body = readFileSync(file);

createServer((request, response) => {
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    text += chunk;
  });
  request.on('end', () => {
    JSON.parse(text);
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
    });
    response.end(body);
  });
}).listen(Number(port), '127.0.0.1');
