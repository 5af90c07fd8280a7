import type { RequestListener } from 'node:http';
import type { Readable } from 'node:stream';
import inject from 'light-my-request';
import type { AppConfigClientOptions } from '@flagfleet/appconfig-poller';

type SdkRequestHandler = NonNullable<AppConfigClientOptions['requestHandler']>;

/** The parts of the SDK's HttpRequest a call to the emulator uses. */
interface SdkRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string | readonly string[] | null>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/**
 * An SDK request handler that calls a node:http request listener in this process (light-my-request,
 * Fastify's `inject`): the embedded emulator answers the poller with no socket any other process could reach.
 */
export function inProcessRequestHandler(dispatch: RequestListener): SdkRequestHandler {
  const handler = {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: SdkRequest, options?: { abortSignal?: { aborted: boolean } }) {
      if (options?.abortSignal?.aborted)
        throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      // As a stream: light-my-request's default answer also joins the chunks again and decodes them to a string,
      // each a one-task copy of the whole document (tens of ms at 10,000 flags).
      const answer = await inject(dispatch, {
        method: request.method as 'GET' | 'POST',
        url: request.path + queryString(request.query),
        headers: request.headers,
        payloadAsStream: true,
        ...payload(request.body),
      });
      const body = await bytesOf(answer.stream());
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(answer.headers))
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
      return {
        // Bytes, not a stream: the SDK reads a Uint8Array body as it is, where it would copy a stream's chunks.
        response: { statusCode: answer.statusCode, headers, body },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
  return handler as unknown as SdkRequestHandler;
}

/** The answer's bytes: its one chunk as it is (the emulator writes a document in one), or the chunks joined. */
async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

function queryString(query: SdkRequest['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === null) continue;
    for (const item of typeof value === 'string' ? [value] : value) params.append(name, item);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** light-my-request serialises any object as JSON: the SDK's Uint8Array bodies go as Buffers. */
function payload(body: unknown): { payload?: string | Buffer } {
  if (typeof body === 'string') return { payload: body };
  if (body instanceof Uint8Array)
    return { payload: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  return {};
}
