// YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.s+]]TZD (W3C NOTE-datetime); Ion's `T`-terminated dates too.
const W3C =
  /^(\d{4})-(\d{2})(?:-(\d{2})(?:T(?:(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?T?$/;

/**
 * A W3C date-time as Unix milliseconds, or null when the text is not one (or names an impossible date).
 * Dates without a time mean midnight UTC, as Ion reads them.
 *
 * @example parseW3cTimestamp("2012-03-04T05:06:07-08:00") === Date.UTC(2012, 2, 4, 13, 6, 7)
 */
export function parseW3cTimestamp(text: string): number | null {
  const match = W3C.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(ms).getUTCDate() !== day) return null;
  if (fraction !== undefined) ms += Math.floor(Number(fraction) * 1000);
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const offset = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
    ms -= sign * offset * 60_000;
  }
  return ms;
}
