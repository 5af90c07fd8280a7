/**
 * One unary gRPC call over plain node:http2, for the benchmarks' set-up: the answer bytes a baseline
 * replays, and readiness checks.
 */
import { connect } from 'node:http2';
import { create, toBinary, type JsonObject } from '@bufbuild/protobuf';
import { ResolveBooleanRequestSchema } from '../libs/flagd-protocol/src/gen/flagd/evaluation/v2/evaluation_pb';
import { grpcFrame } from '../libs/flagd-protocol/src/server/grpc-frame';

/** A flagd v2 ResolveBoolean request message (protobuf, without the gRPC prefix). */
export function resolveBooleanRequest(flagKey: string, context: object): Uint8Array {
  return toBinary(
    ResolveBooleanRequestSchema,
    create(ResolveBooleanRequestSchema, { flagKey, context: context as JsonObject }),
  );
}

/** The response message of one call (without the gRPC prefix); rejects unless grpc-status is 0. */
export function grpcAnswer(port: number, path: string, message: Uint8Array): Promise<Buffer> {
  const session = connect(`http://127.0.0.1:${port}`);
  return new Promise<Buffer>((resolve, reject) => {
    session.once('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const chunks: Buffer[] = [];
    let status: unknown;
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('trailers', (trailers) => (status = trailers['grpc-status']));
    stream.on('error', reject);
    stream.on('close', () => {
      if (String(status) !== '0') reject(new Error(`${path} answered grpc-status ${String(status)}`));
      else resolve(Buffer.concat(chunks).subarray(5));
    });
    stream.end(grpcFrame(message));
  }).finally(() => session.close());
}
