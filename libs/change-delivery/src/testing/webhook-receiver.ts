import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ReceiverAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Holds the answer until this settles (a receiver slow enough to be mid-attempt). */
  readonly after?: Promise<unknown>;
}

export type Responder = (request: ReceivedWebhook, index: number) => ReceiverAnswer;

/** A real HTTP receiver on loopback for tests: records every request, answers as told. */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(
  responder: Responder = () => ({ status: 204 }),
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let current = responder;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const answer = current(request, received.length - 1);
      void Promise.resolve(answer.after).then(() => {
        if (res.destroyed) return;
        res.writeHead(answer.status, answer.headers);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    respond: (next) => (current = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
