import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { createClient } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport } from '@connectrpc/connect-node';
import { Service as EvaluationV2 } from '../../../libs/flagd-protocol/src/gen/flagd/evaluation/v2/evaluation_pb';
import { waitFor } from '../../../test/support/wait-for';
import { startFlagService, type RunningFlagService } from './flag-service-harness';

const FLAGS = {
  flags: { 'kill-switch': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' } },
};

/** A self-signed certificate for 127.0.0.1 named `name` (openssl, installed by the test setup). */
function makeCertificate(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** The CN of the certificate a TLS port presents to a new connection (offering both HTTP versions, as browsers). */
function presented(port: number, ca: Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, ALPNProtocols: ['h2', 'http/1.1'] }, () => {
      const subject = socket.getPeerCertificate().subject;
      socket.destroy();
      resolve(String(subject.CN));
    });
    socket.on('error', reject);
  });
}

function ofrepOver(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const call = httpsRequest(
      `${url}/ofrep/v1/evaluate/flags/kill-switch`,
      { method: 'POST', ca, headers: { 'content-type': 'application/json' } },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    call.on('error', reject);
    call.end('{"context":{}}');
  });
}

describe('TLS on every port (TLS_CERT_FILE, TLS_KEY_FILE), renewed without a restart', () => {
  let dir: string;
  let service: RunningFlagService;
  let first: { cert: string; key: string };
  let second: { cert: string; key: string };
  let served: { cert: string; key: string };
  let cas: Buffer[];
  const portOf = (address: string): number => Number(address.split(':')[1]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flagfleet-tls-'));
    first = makeCertificate(dir, 'flagfleet-one');
    second = makeCertificate(dir, 'flagfleet-two');
    served = { cert: join(dir, 'served.crt'), key: join(dir, 'served.key') };
    await writeFile(served.cert, await readFile(first.cert));
    await writeFile(served.key, await readFile(first.key));
    cas = [await readFile(first.cert), await readFile(second.cert)];
    service = await startFlagService(
      { flags: FLAGS },
      { TLS_CERT_FILE: served.cert, TLS_KEY_FILE: served.key },
    );
  });
  afterAll(async () => {
    await service?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves OFREP over HTTPS, flagd over gRPC (HTTP/2 by ALPN) and Connect over HTTP/1.1 on TLS', async () => {
    expect(service.url).toMatch(/^https:/);
    const answer = await ofrepOver(service.url, cas[0]);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ value: true, variant: 'on' });
    const baseUrl = `https://${service.flagdEvaluation}`;
    const grpc = createClient(EvaluationV2, createGrpcTransport({ baseUrl, nodeOptions: { ca: cas[0] } }));
    await expect(grpc.resolveBoolean({ flagKey: 'kill-switch' })).resolves.toMatchObject({ value: true });
    const connect = createClient(
      EvaluationV2,
      createConnectTransport({ baseUrl, httpVersion: '1.1', nodeOptions: { ca: cas[0] } }),
    );
    await expect(connect.resolveBoolean({ flagKey: 'kill-switch' })).resolves.toMatchObject({ value: true });
    // Clear text is not answered on a TLS port.
    await expect(fetch(service.url.replace('https:', 'http:') + '/health/ready')).rejects.toThrow();
  });

  it('serves a renewed certificate to new connections on every port, and keeps it when a renewal is broken', async () => {
    const ports = [
      portOf(service.url.replace('https://', '')),
      portOf(service.flagdEvaluation),
      portOf(service.flagdSync),
    ];
    for (const port of ports) expect(await presented(port, cas)).toBe('flagfleet-one');

    // Renewed as a secret mount does it: new files moved into place.
    await writeFile(`${served.key}.new`, await readFile(second.key));
    await writeFile(`${served.cert}.new`, await readFile(second.cert));
    await rename(`${served.key}.new`, served.key);
    await rename(`${served.cert}.new`, served.cert);
    for (const port of ports)
      await waitFor(async () => (await presented(port, cas)) === 'flagfleet-two', {
        timeoutMs: 10_000,
        message: `port ${port} serves the renewed certificate`,
      });
    expect(service.logs()).toContain('TLS certificate reloaded');
    expect(service.logs()).toContain('CN=flagfleet-two');

    // A renewal that does not check (the key of another certificate): logged, the one in use keeps serving.
    await writeFile(served.key, await readFile(first.key));
    await waitFor(() => service.logs().includes('TLS certificate not reloaded'), {
      timeoutMs: 10_000,
      message: 'the broken renewal reported',
    });
    for (const port of ports) expect(await presented(port, cas)).toBe('flagfleet-two');
    expect(service.logs()).not.toContain('PRIVATE KEY');
    const answer = await ofrepOver(service.url, cas[1]);
    expect(answer.status).toBe(200);
  });

  it('refuses to start on a certificate it cannot serve, naming the file', async () => {
    const missing = join(dir, 'missing.crt');
    await expect(
      startFlagService({ flags: FLAGS }, { TLS_CERT_FILE: missing, TLS_KEY_FILE: served.key }),
    ).rejects.toMatchObject({
      code: 'FLAGFLEET_TLS_CERTIFICATE_INVALID',
      message: expect.stringContaining(missing),
    });
    await expect(
      startFlagService({ flags: FLAGS }, { TLS_CERT_FILE: first.cert, TLS_KEY_FILE: second.key }),
    ).rejects.toMatchObject({ code: 'FLAGFLEET_TLS_CERTIFICATE_INVALID' });
  });
});
