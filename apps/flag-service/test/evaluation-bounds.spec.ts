import request from 'supertest';
import { waitFor } from '../../../test/support/wait-for';
import { startFlagService, type RunningFlagService } from './flag-service-harness';

const acc = { var: 'accumulator' };
const boolFlag = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };
const GOOD = {
  flags: {
    'kill-switch': boolFlag,
    // Linear growth over a context array: accepted, bounded by the context and evaluation limits.
    collect: {
      ...boolFlag,
      targeting: {
        if: [{ reduce: [{ var: 'list' }, { merge: [acc, [{ var: 'current' }]] }, []] }, 'on', null],
      },
    },
  },
};
/** The rule that doubled an array 28 times at compile time and aborted V8 (issue 14). */
const steps = Array.from({ length: 28 }, (_, i) => i);
const FOLDED = {
  flags: {
    ...GOOD.flags,
    doubling: {
      ...boolFlag,
      targeting: { if: [{ reduce: [steps, { merge: [acc, acc] }, [1]] }, 'on', null] },
    },
  },
};
/** The same pattern over a context array: a 122-byte request used to kill the process. */
const OVER_CONTEXT = {
  flags: {
    ...GOOD.flags,
    'context-doubling': {
      ...boolFlag,
      targeting: { if: [{ reduce: [{ var: 'list' }, { merge: [acc, acc] }, [1]] }, 'on', null] },
    },
  },
};

describe('what one document or one request can cost', () => {
  let service: RunningFlagService;

  beforeAll(async () => {
    service = await startFlagService({ flags: GOOD });
  });
  afterAll(() => service?.close());

  const alive = async (): Promise<void> => {
    await request(service.url).get('/health/live').expect(200);
    const answer = await request(service.url)
      .post('/ofrep/v1/evaluate/flags/kill-switch')
      .send({ context: {} })
      .expect(200);
    expect(answer.body).toMatchObject({ value: false, reason: 'STATIC' });
  };

  it.each([
    ['the constant-folding doubling rule', FOLDED, 'doubling'],
    ['the doubling rule over a context array', OVER_CONTEXT, 'context-doubling'],
  ])(
    'rejects a document with %s, naming the flag, and keeps serving the last good one',
    async (_name, document, flagKey) => {
      const logged = service.logs().length;
      await service.writeFlags('flags', document);
      await waitFor(() => service.logs().slice(logged).includes('configuration rejected'), {
        timeoutMs: 10_000,
        message: 'the rejection to be logged',
      });
      const rejection = service.logs().slice(logged);
      expect(rejection).toContain(`"flagKey":"${flagKey}"`);
      expect(rejection).toContain('FLAGFLEET_TARGETING_UNBOUNDED');
      // The 122-byte request of the issue: the flag does not exist in the serving document.
      const body = JSON.stringify({ context: { list: steps } });
      const answer = await request(service.url)
        .post(`/ofrep/v1/evaluate/flags/${flagKey}`)
        .set('content-type', 'application/json')
        .send(body)
        .expect(404);
      expect(answer.body).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' });
      await alive();
    },
  );

  it('answers 400 INVALID_CONTEXT for the 9,900-element array of the quadratic rule, in milliseconds', async () => {
    const list = Array.from({ length: 9_900 }, (_, i) => i % 10);
    const started = Date.now();
    const answer = await request(service.url)
      .post('/ofrep/v1/evaluate/flags/collect')
      .send({ context: { list } })
      .expect(400);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(answer.body).toMatchObject({ key: 'collect', errorCode: 'INVALID_CONTEXT' });
    expect(answer.body.errorDetails).toMatch(/more than 1000 elements/);
    await alive();
  });

  it('still evaluates the accepted rule over arrays within the limits', async () => {
    const answer = await request(service.url)
      .post('/ofrep/v1/evaluate/flags/collect')
      .send({ context: { list: [1, 2, 3] } })
      .expect(200);
    expect(answer.body).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  });
});
