import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { WebhookTargetRefusedError } from '../errors';
import type { WebhookHeaders } from '../signing/sign-webhook';
import { describeConnectionFailure } from './connection-failure';
import { checkedLookup, parseTargetUrl, type Resolver, type TargetPolicy } from '../targets/target-policy';

export interface SendResult {
  /** null when no HTTP answer arrived (network error, timeout, refused target). */
  readonly status: number | null;
  readonly latencyMs: number;
  readonly retryAfter: string | undefined;
  readonly error: string | null;
  /** The target failed the address check at delivery time (e.g. DNS now answers a private address). */
  readonly refused: boolean;
}

const USER_AGENT = 'flagfleet-webhooks/1';

/**
 * One POST, bounded by `timeoutMs` end to end. Redirects are not followed (a 3xx is a failure), so
 * a receiver cannot bounce a delivery onto an internal address. The name is resolved again for each
 * attempt and every answer checked (checkedLookup): a name that passed at subscribe time and now
 * resolves to a private address (DNS rebinding) is refused before connecting.
 */
export class WebhookSender {
  private readonly lookup: ReturnType<typeof checkedLookup>;

  constructor(
    private readonly policy: TargetPolicy,
    private readonly timeoutMs: number,
    resolve?: Resolver,
  ) {
    this.lookup = checkedLookup(policy, resolve);
  }

  async send(target: string, body: string, headers: WebhookHeaders): Promise<SendResult> {
    // Elapsed real time of the attempt (monotonic), not a timestamp: not read from the injected Clock.
    const started = performance.now();
    const failed = (error: unknown, message = (error as Error).message): SendResult => ({
      status: null,
      latencyMs: Math.round(performance.now() - started),
      retryAfter: undefined,
      error: message,
      refused: error instanceof WebhookTargetRefusedError,
    });
    let url: URL;
    try {
      url = parseTargetUrl(target, this.policy);
    } catch (error) {
      return failed(error);
    }
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<SendResult>((resolve) => {
      const req = request(
        url,
        {
          method: 'POST',
          lookup: this.lookup,
          signal: AbortSignal.timeout(this.timeoutMs),
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': USER_AGENT,
          },
        },
        (res) => {
          res.resume(); // the answer body is not used; drain it so the socket is released
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? null,
              latencyMs: Math.round(performance.now() - started),
              retryAfter: res.headers['retry-after'],
              error: null,
              refused: false,
            }),
          );
          res.on('error', (error) => resolve(failed(error, describeConnectionFailure(error))));
        },
      );
      req.on('error', (error) => {
        const cause = (error as { cause?: unknown }).cause ?? error;
        if (cause instanceof WebhookTargetRefusedError) resolve(failed(cause));
        else if (error.name === 'AbortError')
          resolve(failed(error, `timeout: no answer within ${this.timeoutMs} ms`));
        else resolve(failed(cause, describeConnectionFailure(cause)));
      });
      req.end(body);
    });
  }
}
