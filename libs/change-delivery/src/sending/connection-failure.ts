/** Why an attempt got no HTTP answer; the class leads the recorded error so logs and dashboards can group it. */
export type ConnectionFailureClass =
  'connection refused' | 'timeout' | 'dns' | 'tls' | 'connection reset' | 'network';

const BY_CODE: Readonly<Record<string, ConnectionFailureClass>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NODATA: 'dns',
  EPROTO: 'tls', // a TLS handshake with something that does not speak TLS
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'timeout',
  ECONNABORTED: 'network',
  EHOSTUNREACH: 'network',
  ENETUNREACH: 'network',
};

interface SystemError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly errors?: unknown;
}

/**
 * `class: message` of a socket-level failure. Node's messages name the address and port at most
 * (`connect ECONNREFUSED 127.0.0.1:9`), never the URL's path, query or credentials, so the text is
 * safe to record and log. Happy Eyeballs fails with an AggregateError whose own message is empty:
 * its first attempt's error is described instead.
 */
export function describeConnectionFailure(error: unknown): string {
  const failure = firstFailure(error);
  const code = typeof failure.code === 'string' ? failure.code : '';
  const message =
    typeof failure.message === 'string' && failure.message ? failure.message : code || 'no answer';
  return `${classify(code)}: ${message}`;
}

function firstFailure(error: unknown): SystemError {
  const candidate = (error ?? {}) as SystemError;
  if (Array.isArray(candidate.errors) && candidate.errors.length > 0 && !candidate.message)
    return firstFailure(candidate.errors[0]);
  return candidate;
}

function classify(code: string): ConnectionFailureClass {
  if (BY_CODE[code]) return BY_CODE[code];
  // OpenSSL's codes: ERR_SSL_*, ERR_TLS_*, and the certificate checks (CERT_*, *_SELF_SIGNED_*, ...).
  if (/^ERR_(SSL|TLS)_|CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH|ERR_OSSL/.test(code))
    return 'tls';
  return 'network';
}
