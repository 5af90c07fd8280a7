import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AwsServiceError } from '../data-plane/aws-service-error';
import type { EmulatorError } from '../errors';

export function replyJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length, ...headers });
  res.end(bytes);
}

/** AppConfigData's error shape: the error name in `x-amzn-errortype`, members in the JSON body. */
export function replyAwsError(res: ServerResponse, error: AwsServiceError): void {
  replyJson(res, error.status, error.body, {
    'x-amzn-errortype': error.errorType,
    'x-amzn-requestid': randomUUID(),
  });
}

/** The emulator's own errors (admin API): `{code, message}`. */
export function replyEmulatorError(res: ServerResponse, error: EmulatorError): void {
  replyJson(res, error.status, { code: error.code, message: error.message });
}
