import type { OutgoingHttpHeaders } from 'node:http';

/**
 * `grpc-message` as the gRPC HTTP/2 protocol spells it: printable ASCII (0x20–0x7E) except `%` as is,
 * every other byte of the UTF-8 text as `%XX`. encodeURIComponent also escapes `:`, `/`, `"` and spaces,
 * which grpc-js (it decodes with decodeURI) then shows still encoded.
 */
export function grpcMessage(text: string): string {
  let plain = true;
  for (let i = 0; i < text.length && plain; i++) plain = printable(text.charCodeAt(i));
  if (plain) return text;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += printable(byte)
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function printable(code: number): boolean {
  return code >= 0x20 && code <= 0x7e && code !== 0x25;
}

interface TrailerWriter {
  addTrailers(trailers: OutgoingHttpHeaders): void;
}

/**
 * Makes connect-node's `grpc-message` trailers the spec's spelling too: it encodes them with encodeURIComponent,
 * which grpc-js clients then show still encoded (`invalid selector%3A ...`), so that a call's message reads the
 * same whichever transport answered it. connect-node writes trailers with one `addTrailers` per call.
 */
export function specGrpcMessages(response: TrailerWriter): void {
  const add = response.addTrailers.bind(response);
  response.addTrailers = (trailers) => {
    const message = trailers['grpc-message'];
    if (typeof message !== 'string') return add(trailers);
    let text: string;
    try {
      text = decodeURIComponent(message);
    } catch {
      return add(trailers);
    }
    add({ ...trailers, 'grpc-message': grpcMessage(text) });
  };
}
