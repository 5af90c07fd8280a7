import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type ServiceProcess } from '../../../test/support/service-process';

/** Issue 26 hole 1: the pattern and the 32-character email that stalled the process 7.4–8.4 s per request. */
const FEATURES = {
  version: '1',
  flags: { guarded: { name: 'Guarded' }, plain: { name: 'Plain' } },
  values: {
    guarded: {
      _variants: [
        { name: 'Pattern', enabled: true, rule: '(matches in::$email pattern::"^(a+)+$")' },
        { name: 'Default', enabled: false },
      ],
    },
    plain: { enabled: true },
  },
};
const HOSTILE_EMAIL = `${'a'.repeat(31)}!`;

describe('matches runs in linear time (issue 26)', () => {
  let flagsDir: string;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    flagsDir = await mkdtemp(join(tmpdir(), 'flagfleet-matches-'));
    await writeFile(join(flagsDir, 'flags.json'), JSON.stringify(FEATURES));
    service = await startService({ env: { FLAGS_DIR: flagsDir } });
  });
  afterAll(async () => {
    await service?.kill('SIGKILL');
    await rm(flagsDir, { recursive: true, force: true });
  });

  const evaluate = async (key: string, context: Record<string, unknown>) => {
    const started = performance.now();
    const answer = await fetch(`${service?.url}/ofrep/v1/evaluate/flags/${key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ context }),
      signal: AbortSignal.timeout(10_000),
    });
    return { body: (await answer.json()) as Record<string, unknown>, ms: performance.now() - started };
  };

  it('answers `^(a+)+$` against a 32-character email at once, and another evaluation meanwhile', async () => {
    // Both sent together: on a backtracking engine the second waits seconds behind the first.
    const [hostile, other] = await Promise.all([
      evaluate('guarded', { email: HOSTILE_EMAIL }),
      evaluate('plain', {}),
    ]);
    expect(hostile.body).toMatchObject({ variant: 'Default', value: false });
    expect(other.body).toMatchObject({ value: true });
    expect(hostile.ms).toBeLessThan(1000);
    expect(other.ms).toBeLessThan(1000);
    expect((await evaluate('guarded', { email: 'a'.repeat(32) })).body).toMatchObject({
      variant: 'Pattern',
      value: true,
    });
  });
});
