import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Resolver, TargetPolicy } from '../targets/target-policy';
import { WebhookSender } from './webhook-sender';

const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' };
/** DNS rebinding: whatever a name resolved to at subscribe time, it now answers loopback. */
const rebound: Resolver = (_hostname, _options, callback) =>
  callback(null, [{ address: '127.0.0.1', family: 4 }]);

describe('WebhookSender at delivery time', () => {
  let server: Server;
  let port: number;
  let received = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      received += 1;
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (policy: TargetPolicy) =>
    new WebhookSender(policy, 2000, rebound).send(`http://hooks.example.com:${port}/in`, '{}', headers);

  it('re-checks the resolved address and refuses a name that now resolves to loopback', async () => {
    const result = await send({ allowHttp: true, allowedHosts: [] });
    expect(result).toMatchObject({ status: null, refused: true });
    expect(result.error).toMatch(/resolves to refused address 127\.0\.0\.1/);
    expect(received).toBe(0);
  });

  it('connects to the resolved address when the name is allowlisted', async () => {
    const result = await send({ allowHttp: true, allowedHosts: ['hooks.example.com'] });
    expect(result).toMatchObject({ status: 204, refused: false });
    expect(received).toBe(1);
  });

  it('names a TLS failure (https to a server that does not speak TLS) and a DNS failure', async () => {
    const policy = { allowHttp: true, allowedHosts: ['127.0.0.1', 'hooks.example.com'] };
    const tls = await new WebhookSender(policy, 2000).send(`https://127.0.0.1:${port}/in`, '{}', headers);
    expect(tls).toMatchObject({ status: null, refused: false, error: expect.stringMatching(/^tls: /) });
    const unknown: Resolver = (hostname, _options, callback) =>
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    const dns = await new WebhookSender(policy, 2000, unknown).send(
      'http://hooks.example.com/in',
      '{}',
      headers,
    );
    expect(dns.error).toBe('dns: getaddrinfo ENOTFOUND hooks.example.com');
  });
});
