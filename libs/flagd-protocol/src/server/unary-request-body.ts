import { Code, ConnectError } from '@connectrpc/connect';
import { messageTooLarge } from './call-statuses';

// A gRPC message on the wire: 1 flag byte (bit 0: compressed), 4 bytes big-endian length, the message.
const PREFIX_BYTES = 5;
const COMPRESSED = 0b1;

/**
 * The body of one unary gRPC request: exactly one length-prefixed message. It refuses what connect-node
 * refuses, with connect-node's statuses and messages, so that a call answers the same whichever path
 * serves it. It holds at most a message of the largest size allowed and the next prefix: bytes past those
 * are only counted.
 */
export class UnaryRequestBody {
  private readonly chunks: Buffer[] = [];
  private held = 0;
  private received = 0;
  /** The message length its prefix declares; -1 until the prefix has arrived. */
  private declared = -1;

  constructor(private readonly maxMessageBytes: number) {}

  /** Adds a chunk of the body; a prefix that declares a message over the limit is refused at once. */
  push(chunk: Buffer): void {
    this.received += chunk.length;
    const room = this.maxMessageBytes + 2 * PREFIX_BYTES - this.held;
    if (room > 0) {
      const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(kept);
      this.held += kept.length;
    }
    if (this.declared === -1 && this.held >= PREFIX_BYTES) {
      this.declared = this.bytes().readUInt32BE(1);
      this.assertSize(this.declared);
    }
  }

  /** At the end of the body: the message, or the status connect-node answers for this body. */
  message(): Uint8Array {
    if (this.received === 0)
      throw new ConnectError('protocol error: missing input message for unary method', Code.Unimplemented);
    const end = PREFIX_BYTES + this.declared;
    if (this.declared === -1 || this.received < end) throw incomplete();
    const bytes = this.bytes();
    if ((bytes[0] & COMPRESSED) !== 0)
      throw new ConnectError(
        'received compressed envelope, but do not know how to decompress',
        Code.Internal,
      );
    const extra = this.received - end;
    if (extra > 0) {
      // connect-node reads on for a second message: a whole one is "extra", a part of one incomplete.
      if (extra < PREFIX_BYTES) throw incomplete();
      const next = bytes.readUInt32BE(end + 1);
      this.assertSize(next);
      if (extra < PREFIX_BYTES + next) throw incomplete();
      throw new ConnectError(
        'protocol error: received extra input message for unary method',
        Code.Unimplemented,
      );
    }
    return bytes.subarray(PREFIX_BYTES, end);
  }

  private bytes(): Buffer {
    if (this.chunks.length > 1) this.chunks.splice(0, this.chunks.length, Buffer.concat(this.chunks));
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private assertSize(length: number): void {
    if (length > this.maxMessageBytes) throw messageTooLarge(length, this.maxMessageBytes, 'readMaxBytes');
  }
}

function incomplete(): ConnectError {
  return new ConnectError('protocol error: incomplete envelope', Code.InvalidArgument);
}
