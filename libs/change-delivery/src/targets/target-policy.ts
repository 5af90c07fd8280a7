import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { WebhookTargetRefusedError } from '../errors';
import { isPublicAddress } from './address-policy';

export interface TargetPolicy {
  /** `WEBHOOK_ALLOW_HTTP=true`: plain http targets accepted (development, tests). */
  readonly allowHttp: boolean;
  /** `WEBHOOK_ALLOWED_HOSTS`: host names or IP literals exempt from the address check (lower case). */
  readonly allowedHosts: readonly string[];
}

/** Lower case, without IPv6 brackets or the root's trailing dot (`localhost.` is `localhost`). */
function normalHost(name: string): string {
  return name
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

function hostOf(url: URL): string {
  return normalHost(url.hostname);
}

function isAllowlisted(host: string, policy: TargetPolicy): boolean {
  return policy.allowedHosts.includes(host);
}

/** Checks the shape of a target URL and, for IP literals, the address (no DNS). */
export function parseTargetUrl(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetRefusedError('not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    throw new WebhookTargetRefusedError(`${url.protocol.slice(0, -1)} is not allowed (https required)`);
  }
  // Credentials in the URL would be shown by the admin API and could reach logs.
  if (url.username || url.password)
    throw new WebhookTargetRefusedError('credentials in the URL are not allowed');
  const host = hostOf(url);
  if (isIP(host) && !isAllowlisted(host, policy) && !isPublicAddress(host)) {
    throw new WebhookTargetRefusedError(`${host} is a private, loopback or link-local address`);
  }
  if (!isIP(host) && (host === 'localhost' || host.endsWith('.localhost')) && !isAllowlisted(host, policy)) {
    throw new WebhookTargetRefusedError(`${host} is a loopback name`);
  }
  return url;
}

/** How names are resolved: `dns.lookup` with `all: true` (the system resolver, /etc/hosts included). */
export type Resolver = (
  hostname: string,
  options: { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that refuses private answers for hosts not allowlisted: the
 * address checked is the one connected to, so DNS rebinding after validation gains nothing.
 */
export function checkedLookup(policy: TargetPolicy, resolve: Resolver = dnsLookup) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const bad = isAllowlisted(normalHost(hostname), policy)
        ? undefined
        : addresses.find((a) => !isPublicAddress(a.address));
      if (bad) {
        return callback(
          new WebhookTargetRefusedError(`${hostname} resolves to refused address ${bad.address}`),
          [],
        );
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Validation at subscribe time: shape, then every resolved address. */
export async function validateTarget(raw: string, policy: TargetPolicy): Promise<URL> {
  const url = parseTargetUrl(raw, policy);
  const host = hostOf(url);
  if (isIP(host) || isAllowlisted(host, policy)) return url;
  await new Promise<void>((resolve, reject) =>
    checkedLookup(policy)(host, { all: true }, (error) => {
      if (error instanceof WebhookTargetRefusedError) reject(error);
      else if (error)
        reject(new WebhookTargetRefusedError(`${host} does not resolve (${error.code ?? error.message})`));
      else resolve();
    }),
  );
  return url;
}
