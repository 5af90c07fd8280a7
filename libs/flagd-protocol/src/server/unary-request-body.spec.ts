import { Code, ConnectError } from '@connectrpc/connect';
import { grpcFrame } from './grpc-frame';
import { UnaryRequestBody } from './unary-request-body';

/** The status `message()` (or an earlier `push`) refuses the body with; null when it is accepted. */
function refusal(chunks: Buffer[], max = 64): { code: Code; message: string } | null {
  const body = new UnaryRequestBody(max);
  try {
    for (const chunk of chunks) body.push(chunk);
    body.message();
    return null;
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    return { code: error.code, message: error.rawMessage };
  }
}

describe('UnaryRequestBody', () => {
  const message = Buffer.from('a flagd request');

  it('gives the one message, however the body is split into chunks', () => {
    const whole = grpcFrame(message);
    for (let cut = 0; cut <= whole.length; cut++) {
      const body = new UnaryRequestBody(64);
      body.push(whole.subarray(0, cut));
      body.push(whole.subarray(cut));
      expect(Buffer.from(body.message())).toEqual(message);
    }
    const bytewise = new UnaryRequestBody(64);
    for (const byte of whole) bytewise.push(Buffer.from([byte]));
    expect(Buffer.from(bytewise.message())).toEqual(message);
  });

  it('accepts an empty message (all fields default)', () => {
    const body = new UnaryRequestBody(64);
    body.push(grpcFrame(Buffer.alloc(0)));
    expect(body.message()).toHaveLength(0);
  });

  it('refuses a message over the limit as soon as its prefix arrives, as connect-node does', () => {
    const body = new UnaryRequestBody(8);
    expect(() => body.push(grpcFrame(Buffer.alloc(9)).subarray(0, 5))).toThrow(
      expect.objectContaining({
        code: Code.ResourceExhausted,
        rawMessage: 'message size 9 is larger than configured readMaxBytes 8',
      }),
    );
    expect(refusal([grpcFrame(Buffer.alloc(8))], 8)).toBeNull();
  });

  it("answers connect-node's statuses for bodies that are not one message", () => {
    expect(refusal([])).toEqual({
      code: Code.Unimplemented,
      message: 'protocol error: missing input message for unary method',
    });
    const incomplete = { code: Code.InvalidArgument, message: 'protocol error: incomplete envelope' };
    expect(refusal([Buffer.from([0, 0, 0])])).toEqual(incomplete);
    expect(refusal([grpcFrame(message).subarray(0, 10)])).toEqual(incomplete);
    expect(refusal([grpcFrame(message), Buffer.from([0, 0])])).toEqual(incomplete);
    expect(refusal([grpcFrame(message), grpcFrame(message).subarray(0, 7)])).toEqual(incomplete);
    expect(refusal([grpcFrame(message), grpcFrame(message)])).toEqual({
      code: Code.Unimplemented,
      message: 'protocol error: received extra input message for unary method',
    });
    expect(refusal([grpcFrame(message), grpcFrame(Buffer.alloc(65))])).toMatchObject({
      code: Code.ResourceExhausted,
    });
    expect(refusal([grpcFrame(message, 1)])).toEqual({
      code: Code.Internal,
      message: 'received compressed envelope, but do not know how to decompress',
    });
  });

  it('holds no more than the largest message allowed and the next prefix, however much is sent', () => {
    const body = new UnaryRequestBody(16);
    body.push(grpcFrame(Buffer.alloc(4)));
    for (let i = 0; i < 1000; i++) body.push(Buffer.alloc(1024));
    const held = (body as unknown as { held: number }).held;
    expect(held).toBeLessThanOrEqual(16 + 10);
    expect(() => body.message()).toThrow(expect.objectContaining({ code: Code.Unimplemented }));
  });
});
