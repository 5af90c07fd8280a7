import type { OutgoingHttpHeaders } from 'node:http';
import { grpcMessage, specGrpcMessages } from './grpc-message';

describe('grpcMessage', () => {
  it('keeps printable ASCII as is, so clients show the message as written', () => {
    expect(grpcMessage('invalid selector: unknown source "local/local/nope"')).toBe(
      'invalid selector: unknown source "local/local/nope"',
    );
  });

  it('percent-encodes %, control characters and the UTF-8 bytes of other text', () => {
    expect(grpcMessage('100% café\n')).toBe('100%25 caf%C3%A9%0A');
    expect(decodeURIComponent(grpcMessage('100% café\n'))).toBe('100% café\n');
  });

  it("respells connect-node's encodeURIComponent grpc-message trailers, leaving other trailers as they are", () => {
    const written: OutgoingHttpHeaders[] = [];
    const response = { addTrailers: (trailers: OutgoingHttpHeaders) => void written.push(trailers) };
    specGrpcMessages(response);
    const text = 'invalid selector: unknown source "local/local/nope" 100%';
    response.addTrailers({ 'grpc-status': '3', 'grpc-message': encodeURIComponent(text) });
    response.addTrailers({ 'grpc-status': '0' });
    expect(written).toEqual([
      { 'grpc-status': '3', 'grpc-message': 'invalid selector: unknown source "local/local/nope" 100%25' },
      { 'grpc-status': '0' },
    ]);
  });
});
