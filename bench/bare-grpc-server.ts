/**
 * The gRPC baseline of bench/service.ts: a bare `node:http2` server that reads the request message,
 * decodes it with the generated schema (every evaluation server must read the context) and answers a
 * fixed gRPC response — headers, the given message bytes (the same the service answers), `grpc-status: 0`
 * trailers — through the raw stream API. Run as its own process, like the service:
 * `npx tsx bench/bare-grpc-server.ts <port> <message-file>`.
 */
import { createServer } from 'node:http2';
import { readFileSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { ResolveBooleanRequestSchema } from '../libs/flagd-protocol/src/gen/flagd/evaluation/v2/evaluation_pb';
import { grpcFrame } from '../libs/flagd-protocol/src/server/grpc-frame';

const [port, file] = process.argv.slice(2);
const message = readFileSync(file);
const answer = grpcFrame(message);

createServer()
  .on('stream', (stream) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      fromBinary(ResolveBooleanRequestSchema, Buffer.concat(chunks).subarray(5));
      stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto' }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(answer);
    });
  })
  .listen(Number(port), '127.0.0.1');
