import { Code, ConnectError } from '@connectrpc/connect';
import { ErrorCode } from '@flagfleet/flag-engine';

// flagd's readable messages (core/pkg/model/error.go): a status carries these and no body.
const MESSAGES: Record<ErrorCode, string> = {
  FLAG_NOT_FOUND: 'Flag not found',
  PARSE_ERROR: 'Error parsing input or configuration',
  TYPE_MISMATCH: 'Type mismatch error',
  GENERAL: 'General error',
  INVALID_CONTEXT: 'Invalid context provided',
  TARGETING_KEY_MISSING: 'Targeting key is missing',
};

// flagd's errFormat: the status each error code is answered with. UNKNOWN only for GENERAL, since
// providers retry UNKNOWN with backoff.
const CODES: Record<ErrorCode, Code> = {
  FLAG_NOT_FOUND: Code.NotFound,
  TYPE_MISMATCH: Code.InvalidArgument,
  PARSE_ERROR: Code.DataLoss,
  GENERAL: Code.Unknown,
  INVALID_CONTEXT: Code.InvalidArgument,
  TARGETING_KEY_MISSING: Code.InvalidArgument,
};

/** The gRPC status of an evaluation error, as flagd answers it. */
export function evaluationError(code: ErrorCode): ConnectError {
  return new ConnectError(MESSAGES[code], CODES[code]);
}
