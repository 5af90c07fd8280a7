import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** Allocated global unicast (RFC 4291); IPv6 outside it is special or unassigned. */
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
/** IPv4-compatible addresses (RFC 4291, deprecated): `::a.b.c.d`, which includes `::` and `::1`. */
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');
/** The well-known NAT64 prefix (RFC 6052); the local-use one, 64:ff9b:1::/48 (RFC 8215), is refused. */
const WELL_KNOWN_NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

function ipv4(high: number, low: number): IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);
}

/**
 * IPv4 counts only when ipaddr.js ranks it plain `unicast`: private, loopback, link-local (cloud metadata),
 * carrier-grade NAT, benchmarking, documentation, multicast, reserved and broadcast ranges are refused.
 */
function isPublicIpv4(ip: IPv4): boolean {
  return ip.range() === 'unicast';
}

/** IPv6 that carries an IPv4 address (mapped, translated, compatible, 6to4, Teredo, NAT64) is judged by it. */
function isPublicIpv6(ip: IPv6): boolean {
  const [, p1, p2, p3, , , p6, p7] = ip.parts;
  if (ip.match(IPV4_COMPATIBLE)) return isPublicIpv4(ipv4(p6, p7));
  switch (ip.range()) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d
      return isPublicIpv4(ipv4(p6, p7));
    case 'rfc6052':
      return ip.match(WELL_KNOWN_NAT64) && isPublicIpv4(ipv4(p6, p7));
    case '6to4': // 2002:aabb:ccdd::/48
      return isPublicIpv4(ipv4(p1, p2));
    case 'teredo': // 2001:0:<server>:<flags>:<port>:<client, bits inverted> (RFC 4380)
      return isPublicIpv4(ipv4(p2, p3)) && isPublicIpv4(ipv4(~p6 & 0xffff, ~p7 & 0xffff));
    case 'unicast':
      return ip.match(GLOBAL_UNICAST);
    default:
      // loopback, link-local, unique local, multicast, discard (100::/64), documentation, benchmarking, ORCHID…
      return false;
  }
}

/** true for an IP literal a webhook may reach without an allowlist entry. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  // node:net is strict (no `127.1`, no hex octets); ipaddr.js classifies what it accepts.
  const family = isIP(bare);
  if (family === 0) return false;
  return family === 4 ? isPublicIpv4(ipaddr.IPv4.parse(bare)) : isPublicIpv6(ipaddr.IPv6.parse(bare));
}
