/**
 * Query and fragment parameters whose values are credentials, compared without case, `-`, `_` or `.`
 * (`api_key`, `API-Key` and `apikey` are one name) after percent-decoding: exact names…
 */
const SECRET_NAMES = new Set([
  'key',
  'sig',
  'auth',
  'authorization',
  'pwd',
  'pass',
  'jwt',
  'session',
  'sessionid',
  'code',
]);
/** …and names containing one of these (`access_token`, `X-Amz-Security-Token`, `X-Amz-Signature`, `sentinelPassword`). */
const SECRET_PARTS = [
  'token',
  'secret',
  'password',
  'passwd',
  'apikey',
  'accesskey',
  'signature',
  'credential',
];

const REDACTED = '***';
// scheme://userinfo@ — a scheme is a letter then letters, digits, +, . or -; the userinfo runs to the first @ before
// any of these (host lists such as Redis Sentinel's included).
const SCHEME_CHAR = /[a-z0-9+.-]/i;
const LETTER = /[a-z]/i;
const USERINFO_END = /[@/?#\s"'<>]/;
// name=value after ?, &, ; or # (a fragment such as OAuth's `#access_token=…` too).
const PARAMETER = /([?&;#])([^=&;#?\s"'<>]+)=([^&;#\s"'<>]*)/g;

/** Whether a query or fragment parameter's value is a credential (the list docs/security.md gives). */
export function isSecretParameter(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replaceAll('+', ' '));
  } catch {
    // a bad escape: the name as written
  }
  const normal = decoded.toLowerCase().replace(/[-_.\s]/g, '');
  return SECRET_NAMES.has(normal) || SECRET_PARTS.some((part) => normal.includes(part));
}

/**
 * A URL — absolute, a request's path and query, or a text holding URLs (an error message) — safe to log:
 * the password of any `scheme://user:password@` replaced by `***` (a lone `scheme://token@` entirely),
 * and the value of every credential parameter (isSecretParameter) in a query or fragment. The one function
 * every logged URL goes through (the service's logger applies it to `url` fields, messages and errors).
 */
export function redactUrl(text: string): string {
  if (!text.includes('@') && !text.includes('=')) return text;
  return redactUserinfo(text).replace(PARAMETER, (match, separator: string, name: string) =>
    isSecretParameter(name) ? `${separator}${name}=${REDACTED}` : match,
  );
}

/**
 * Every `scheme://userinfo@` with its password (or lone token) as `***`, in one pass from each `://`: a regular
 * expression that starts a scheme at every letter rescans a run of letters from each of them, quadratic in a
 * logged text such as a long flag key with an `@` (a 64,000-letter line took 2.5 s).
 */
function redactUserinfo(text: string): string {
  let out = '';
  let from = 0; // text before this is written out
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 1)) {
    let start = at;
    while (start > from && SCHEME_CHAR.test(text[start - 1])) start--;
    while (start < at && !LETTER.test(text[start])) start++;
    if (start === at) continue; // no scheme
    const begin = at + 3;
    let end = begin;
    while (end < text.length && !USERINFO_END.test(text[end])) end++;
    if (text[end] !== '@') continue;
    const userinfo = text.slice(begin, end);
    const colon = userinfo.indexOf(':');
    out += `${text.slice(from, begin)}${colon === -1 ? REDACTED : `${userinfo.slice(0, colon)}:${REDACTED}`}@`;
    from = end + 1;
    at = end;
  }
  return from === 0 ? text : out + text.slice(from);
}
