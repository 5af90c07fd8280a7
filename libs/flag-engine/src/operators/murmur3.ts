const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * MurmurHash3 x86 32-bit of the UTF-8 bytes of `input`, as an unsigned integer.
 * flagd hashes UTF-8 bytes (not UTF-16 code units): murmur3('fractional-flagjosé') === 0xf3c8ec80.
 * The string is encoded on the fly (no byte buffer is allocated: this runs on every fractional evaluation).
 */
export function murmur3(input: string, seed = 0): number {
  if (isAscii(input)) return asciiMurmur3(input, seed);
  h = seed | 0;
  block = 0;
  filled = 0;
  length = 0;
  update(input);
  return finish();
}

/**
 * murmur3 (seed 0) of `prefix + input`, with the prefix's bytes hashed once: AppConfig splits hash the seed or
 * flag key followed by the value on every evaluation, and neither concatenate nor re-hash the constant part.
 */
export function murmur3Prefixed(prefix: string): (input: string) => number {
  // A trailing high surrogate may pair with the input's first character: hash the joined text then.
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) return (input) => murmur3(prefix + input);
  h = 0;
  block = 0;
  filled = 0;
  length = 0;
  update(prefix);
  const [prefixH, prefixBlock, prefixFilled, prefixLength] = [h, block, filled, length];
  return (input) => {
    h = prefixH;
    block = prefixBlock;
    filled = prefixFilled;
    length = prefixLength;
    update(input);
    return finish();
  };
}

function update(input: string): void {
  for (let i = 0; i < input.length; i++) {
    let code = input.charCodeAt(i);
    if (code < 0x80) push(code);
    else if (code < 0x800) {
      push(0xc0 | (code >> 6));
      push(0x80 | (code & 0x3f));
    } else {
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < input.length) {
        const low = input.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      }
      // Lone surrogates become U+FFFD, as TextEncoder does.
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
      if (code < 0x10000) {
        push(0xe0 | (code >> 12));
      } else {
        push(0xf0 | (code >> 18));
        push(0x80 | ((code >> 12) & 0x3f));
      }
      push(0x80 | ((code >> 6) & 0x3f));
      push(0x80 | (code & 0x3f));
    }
  }
}

function finish(): number {
  // Tail: the 1–3 bytes after the last full block.
  if (filled > 0) h ^= mixK(block);
  return avalanche(h, length);
}

// Hash state of the call in progress (evaluation is synchronous; module state avoids a closure per call).
let h = 0;
let block = 0; // bytes of the current 4-byte block, little-endian
let filled = 0; // bytes in `block`
let length = 0;

function push(byte: number): void {
  block |= byte << (filled << 3);
  length++;
  if (++filled === 4) {
    h = mixBlock(h, block);
    block = 0;
    filled = 0;
  }
}

function mixK(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function isAscii(input: string): boolean {
  for (let i = 0; i < input.length; i++) if (input.charCodeAt(i) >= 0x80) return false;
  return true;
}

// The common case (keys, ids, emails): one byte per character, four characters per block, all in locals.
function asciiMurmur3(input: string, seed: number): number {
  const length = input.length;
  let hash = seed | 0;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const k =
      input.charCodeAt(i) |
      (input.charCodeAt(i + 1) << 8) |
      (input.charCodeAt(i + 2) << 16) |
      (input.charCodeAt(i + 3) << 24);
    hash = mixBlock(hash, k);
  }
  let tail = 0;
  for (let shift = 0; i < length; i++, shift += 8) tail |= input.charCodeAt(i) << shift;
  if (length % 4 !== 0) hash ^= mixK(tail);
  return avalanche(hash, length);
}

/**
 * `murmur3(first + second)` without building the joined string: `fractional` hashes flag key + targeting
 * key on every evaluation, and reading a freshly concatenated string first flattens it (an allocation and a
 * copy), which cost more than the hash itself.
 */
export function murmur3Joined(first: string, second: string): number {
  if (!isAscii(first) || !isAscii(second)) return murmur3(first + second);
  const split = first.length;
  const length = split + second.length;
  let hash = 0;
  let block = 0;
  let filled = 0;
  for (let i = 0; i < length; i++) {
    block |= (i < split ? first.charCodeAt(i) : second.charCodeAt(i - split)) << (filled << 3);
    if (++filled === 4) {
      hash = mixBlock(hash, block);
      block = 0;
      filled = 0;
    }
  }
  if (filled > 0) hash ^= mixK(block);
  return avalanche(hash, length);
}

function mixBlock(hash: number, block: number): number {
  hash ^= mixK(block);
  hash = (hash << 13) | (hash >>> 19);
  return (Math.imul(hash, 5) + 0xe6546b64) | 0;
}

/** The final avalanche over the byte length. */
function avalanche(hash: number, length: number): number {
  hash ^= length;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
