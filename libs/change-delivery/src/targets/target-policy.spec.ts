import { WebhookTargetRefusedError } from '../errors';
import { isPublicAddress } from './address-policy';
import { checkedLookup, parseTargetUrl, type TargetPolicy, validateTarget } from './target-policy';

const strict: TargetPolicy = { allowHttp: false, allowedHosts: [] };

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.9.9.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12::3',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::10.0.0.1',
    '[::1]',
    'not-an-ip',
    '127.1', // not a strict literal (URL parsing turns it into 127.0.0.1 first)
    // IPv4 documentation, benchmarking and 6to4-relay ranges
    '192.0.2.1',
    '198.51.100.7',
    '203.0.113.9',
    '198.18.0.1',
    '192.88.99.1',
    // IPv6 forms that carry a refused IPv4 address
    '::127.0.0.1', // IPv4-compatible
    '::7f00:1',
    '::10.0.0.1',
    '::ffff:0:127.0.0.1', // IPv4-translated (RFC 6145)
    '[::ffff:0:7f00:1]',
    '2002:7f00:1::', // 6to4 of 127.0.0.1
    '2002:a9fe:a9fe::1', // 6to4 of 169.254.169.254
    '2001::', // Teredo, server 0.0.0.0
    '2001:0:4136:e378::80ff:fffe', // Teredo, public server, client 127.0.0.1
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo, client 192.0.2.45 (RFC 4380's example)
    '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
    '64:ff9b:1::808:808', // local-use NAT64 prefix: refused whatever it carries
    // special IPv6 ranges
    '100::1', // discard
    '2001:db8::1', // documentation
    '3fff::1', // documentation (RFC 9637)
    '2001:2::1', // benchmarking
    '2001:20::1', // ORCHIDv2
    'fec0::1', // site-local
    'fe80::1%eth0',
    '4000::1', // outside 2000::/3: unassigned
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '2002:808:808::1', // 6to4 of 8.8.8.8
    '64:ff9b::808:808', // NAT64 of 8.8.8.8
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7', // Teredo, server 65.54.227.120, client 8.8.8.8
  ])('accepts %s', (address) => expect(isPublicAddress(address)).toBe(true));
});

describe('parseTargetUrl', () => {
  it('accepts a public https URL', () => {
    expect(parseTargetUrl('https://hooks.example.com/in?x=1', strict).href).toBe(
      'https://hooks.example.com/in?x=1',
    );
  });

  it.each([
    ['not a url', /absolute URL/],
    ['http://hooks.example.com/', /https required/],
    ['ftp://hooks.example.com/', /https required/],
    ['https://user:pw@hooks.example.com/', /credentials/],
    ['https://127.0.0.1/', /private/],
    ['https://10.0.0.8:8443/', /private/],
    ['https://[::1]/', /private/],
    ['https://169.254.169.254/latest/meta-data', /private/],
    ['https://localhost/', /loopback/],
    ['https://localhost./', /loopback/],
    ['https://api.LocalHost./', /loopback/],
    ['https://[::127.0.0.1]/', /private/],
    ['https://[::ffff:0:127.0.0.1]/', /private/],
    ['https://[2002:7f00:1::]/', /private/],
    ['https://[2001::1]/', /private/],
    ['https://[64:ff9b:1::a00:1]/', /private/],
    ['https://[100::1]/', /private/],
    ['https://[2001:db8::1]/', /private/],
    ['https://192.0.2.1/', /private/],
    ['https://0x7f.1/', /private/],
  ])('refuses %s', (raw, reason) => {
    expect(() => parseTargetUrl(raw, strict)).toThrow(WebhookTargetRefusedError);
    expect(() => parseTargetUrl(raw, strict)).toThrow(reason);
  });

  it('accepts http and allowlisted private hosts only when configured', () => {
    const policy: TargetPolicy = { allowHttp: true, allowedHosts: ['127.0.0.1', 'localhost'] };
    expect(parseTargetUrl('http://127.0.0.1:9000/hook', policy).port).toBe('9000');
    expect(parseTargetUrl('http://localhost:9000/hook', policy).hostname).toBe('localhost');
    expect(() => parseTargetUrl('http://10.0.0.1/', policy)).toThrow(/private/);
  });
});

describe('resolved addresses (checked at subscribe and at delivery time)', () => {
  const lookup = (policy: TargetPolicy, host: string) =>
    new Promise<unknown>((resolve, reject) =>
      checkedLookup(policy)(host, { all: true }, (error, addresses) =>
        error ? reject(error) : resolve(addresses),
      ),
    );

  it('refuses a name that resolves to a loopback address (DNS rebinding)', async () => {
    await expect(lookup(strict, 'localhost')).rejects.toThrow(/resolves to refused address/);
  });

  it('lets an allowlisted name resolve to loopback', async () => {
    await expect(lookup({ allowHttp: false, allowedHosts: ['localhost'] }, 'localhost')).resolves.toEqual(
      expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]),
    );
  });

  it('refuses a name that does not resolve', async () => {
    await expect(validateTarget('https://no-such-host.invalid/', strict)).rejects.toThrow(/does not resolve/);
  });
});
