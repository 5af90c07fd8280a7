import { get, type ClientRequest } from 'node:http';

export interface StreamedEvent {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

/** A minimal SSE client over node:http (keeps the test honest about the wire format). */
export interface EventStreamClient {
  readonly events: StreamedEvent[];
  readonly status: Promise<number>;
  /** The server ended the response. */
  readonly ended: boolean;
  /** Raw text received, keep-alive comments included. */
  text(): string;
  close(): void;
}

export function openEventStream(url: string, headers: Record<string, string> = {}): EventStreamClient {
  const events: StreamedEvent[] = [];
  let text = '';
  let ended = false;
  let buffer = '';
  let request: ClientRequest;
  const status = new Promise<number>((resolve, reject) => {
    request = get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      resolve(res.statusCode ?? 0);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
          }
          if (fields.has('data'))
            events.push({ id: fields.get('id'), event: fields.get('event'), data: fields.get('data') ?? '' });
        }
      });
      res.on('end', () => (ended = true));
      res.on('error', () => undefined);
    });
    request.on('error', reject);
  });
  status.catch(() => undefined);
  return {
    events,
    status,
    get ended() {
      return ended;
    },
    text: () => text,
    close: () => request.destroy(),
  };
}
