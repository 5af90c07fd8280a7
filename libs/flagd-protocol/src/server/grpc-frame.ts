/** gRPC's length-prefixed message: a compressed flag (0 or 1), the length (4 bytes, big-endian), the message. */
export function grpcFrame(message: Uint8Array, compressedFlag = 0): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = compressedFlag;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}
