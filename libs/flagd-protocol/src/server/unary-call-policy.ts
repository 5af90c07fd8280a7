import type { ConnectError } from '@connectrpc/connect';
import type { FlagdMetrics, FlagdProtocolOptions } from '../flagd-options';
import { authorizationError } from './call-authorization';
import { asStatus, invalidTimeout, messageTooLarge } from './call-statuses';
import { outcomeOf } from './rpc-labels';

/** What serves a unary call: the gRPC fast path (unary-fast-path.ts) or connect-node (every other protocol). */
export type UnaryTransport = 'fast-path' | 'connect-node';

export type UnaryCallPolicyOptions = Pick<
  FlagdProtocolOptions,
  'authorize' | 'metrics' | 'maxRequestBytes' | 'maxResponseBytes'
>;

export type CallHeaders = Readonly<Record<string, string | string[] | undefined>> | Headers;

// connect-node's grammar of grpc-timeout, and its units in milliseconds.
const TIMEOUT = /^(\d{1,8})([HMSmun])$/;
const UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 1e-3, n: 1e-6 };

/**
 * The one policy of every unary call, whatever transport serves it: a transport reads and decodes the request
 * within `readMaxBytes`, arms `deadlineMs`, then `admit`s the decoded call (served counted by transport, the
 * API key checked) and ends it with `finish` (the answer's size against `writeMaxBytes`) or `fail` (the error
 * as the status to answer); the call is counted by method and outcome exactly once, from admission on. A body
 * refused before admission (size, framing, decoding) is not counted, as connect-node counts only what reaches
 * its interceptors. connect-node goes through it by `callInterceptor`, the fast path by calling it.
 */
export class UnaryCallPolicy {
  /** Calls admitted, by the transport that served them: tests assert which path served a call. */
  readonly served: Record<UnaryTransport, number> = { 'fast-path': 0, 'connect-node': 0 };
  readonly readMaxBytes: number;
  readonly writeMaxBytes: number;
  /** Where calls are counted by method and outcome (streams too, by connect-node's interceptor). */
  readonly metrics: FlagdMetrics | undefined;

  constructor(private readonly options: UnaryCallPolicyOptions) {
    this.readMaxBytes = options.maxRequestBytes;
    this.writeMaxBytes = options.maxResponseBytes;
    this.metrics = options.metrics;
  }

  /** The call's deadline in milliseconds (undefined: none); a malformed `grpc-timeout` is refused. */
  deadlineMs(header: string | undefined): number | undefined {
    if (header === undefined) return undefined;
    const parsed = TIMEOUT.exec(header);
    if (parsed === null) throw invalidTimeout(header);
    return Number(parsed[1]) * UNIT_MS[parsed[2]];
  }

  /** Admits a decoded call: undefined when it may be evaluated, else its refusal (already counted). */
  admit(transport: UnaryTransport, method: string, headers: CallHeaders): ConnectError | undefined {
    this.served[transport] += 1;
    const refused = this.keyRefusal(headers);
    if (refused !== undefined) this.counted(method, refused);
    return refused;
  }

  /** The API key check alone (streams are admitted by their handlers): the refusal, or undefined. */
  keyRefusal(headers: CallHeaders): ConnectError | undefined {
    const { authorize } = this.options;
    if (authorize === undefined) return undefined;
    return authorizationError(authorize, headers instanceof Headers ? record(headers) : headers);
  }

  /** Ends an admitted call that answered `answerBytes` (undefined: not measured): over the limit, the refusal. */
  finish(method: string, answerBytes: number | undefined): ConnectError | undefined {
    if (answerBytes !== undefined && answerBytes > this.writeMaxBytes) {
      const refused = messageTooLarge(answerBytes, this.writeMaxBytes, 'writeMaxBytes');
      this.counted(method, refused);
      return refused;
    }
    this.metrics?.rpcFinished(method, 'ok');
    return undefined;
  }

  /** Ends an admitted call whose evaluation threw: the status to answer. */
  fail(method: string, error: unknown): ConnectError {
    const status = asStatus(error);
    this.counted(method, status);
    return status;
  }

  private counted(method: string, status: ConnectError): void {
    this.metrics?.rpcFinished(method, outcomeOf(status));
  }
}

function record(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name] = value));
  return out;
}
