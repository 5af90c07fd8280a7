import { setImmediate as nextTurn } from 'node:timers/promises';

/** Bytes copied between two yields: a few milliseconds, even where each new page costs a fault. */
const BYTES_PER_SLICE = 512 * 1024;

/**
 * A copy of `content`, a slice per event-loop turn when it is large: copying a 10,000-flag document (several MB)
 * in one call held the event loop for 20-50 ms on the shared 2-core machines.
 */
export async function copyInSlices(content: Buffer): Promise<Buffer> {
  if (content.byteLength <= BYTES_PER_SLICE) return Buffer.from(content);
  const copy = Buffer.allocUnsafe(content.byteLength);
  for (let at = 0; at < content.byteLength; at += BYTES_PER_SLICE) {
    copy.set(content.subarray(at, at + BYTES_PER_SLICE), at);
    await nextTurn();
  }
  return copy;
}
