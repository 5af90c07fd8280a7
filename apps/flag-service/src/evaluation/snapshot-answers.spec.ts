import { compileFlagDocument, type CompiledFlags, type EvaluationResult } from '@flagfleet/flag-engine';
import { SnapshotAnswers } from './snapshot-answers';
import { bulkEtag } from './bulk-etag';

const TAIL = '],"metadata":{"source":"a/b/c","revision":7}}';

function compile(document: object): CompiledFlags {
  const outcome = compileFlagDocument(JSON.stringify(document));
  if (!outcome.ok) throw new Error('test document must compile');
  return outcome.flags;
}

const flags = compile({
  flags: {
    'new-checkout': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [{ in: [{ var: 'plan' }, ['pro']] }, 'on', 'off'] },
    },
    'banner-color': {
      state: 'ENABLED',
      variants: { red: '#c00', blue: '#00c' },
      defaultVariant: 'red',
      targeting: { if: [{ ends_with: [{ var: 'email' }, '@example.com'] }, 'blue', null] },
    },
    'sunset-ui': { state: 'DISABLED', variants: { on: true }, defaultVariant: 'on' },
  },
});

/** Builds answers counting into a map `flag/reason -> n`. */
function answersWithCounts(limits?: { entries: number; bytes: number }): {
  answers: SnapshotAnswers;
  counts: Map<string, number>;
} {
  const counts = new Map<string, number>();
  const count = (result: EvaluationResult, times: number): void => {
    const label = `${result.key}/${result.errorCode ?? result.reason}`;
    counts.set(label, (counts.get(label) ?? 0) + times);
  };
  return { answers: new SnapshotAnswers(7, TAIL, count, limits), counts };
}

describe('SnapshotAnswers: single flag', () => {
  it('answers the OFREP item, the same bytes for every request that ends in the same result', () => {
    const { answers } = answersWithCounts();
    const pro = answers.single(flags.evaluateFlag('new-checkout', { plan: 'pro' }));
    expect(pro.status).toBe(200);
    expect(JSON.parse(String(pro.json))).toEqual({
      key: 'new-checkout',
      reason: 'TARGETING_MATCH',
      value: true,
      variant: 'on',
      metadata: {},
    });
    expect(answers.single(flags.evaluateFlag('new-checkout', { plan: 'pro', email: 'x' }))).toBe(pro);
    expect(JSON.parse(String(answers.single(flags.evaluateFlag('sunset-ui', {})).json))).toEqual({
      key: 'sunset-ui',
      reason: 'DISABLED',
      metadata: {},
    });
  });

  it('answers a per-request result with its status, counted at once; shared ones when drained', () => {
    const { answers, counts } = answersWithCounts();
    const missing = answers.single(flags.evaluateFlag('nope', {}));
    expect(missing.status).toBe(404);
    expect(JSON.parse(String(missing.json))).toMatchObject({ key: 'nope', errorCode: 'FLAG_NOT_FOUND' });
    expect(Object.fromEntries(counts)).toEqual({ 'nope/FLAG_NOT_FOUND': 1 });
    answers.single(flags.evaluateFlag('new-checkout', { plan: 'pro' }));
    answers.single(flags.evaluateFlag('new-checkout', { plan: 'pro' }));
    answers.drainCounts();
    answers.drainCounts();
    expect(Object.fromEntries(counts)).toEqual({
      'nope/FLAG_NOT_FOUND': 1,
      'new-checkout/TARGETING_MATCH': 2,
    });
  });
});

describe('SnapshotAnswers: bulk', () => {
  it('builds the OFREP bulk JSON with an ETag over its bytes', () => {
    const { answers } = answersWithCounts();
    const answer = answers.bulk(flags.evaluateAll({ plan: 'pro', email: 'ada@example.com' }));
    expect(JSON.parse(String(answer.json))).toEqual({
      flags: [
        { key: 'new-checkout', reason: 'TARGETING_MATCH', value: true, variant: 'on', metadata: {} },
        { key: 'banner-color', reason: 'TARGETING_MATCH', value: '#00c', variant: 'blue', metadata: {} },
        { key: 'sunset-ui', reason: 'DISABLED', metadata: {} },
      ],
      metadata: { source: 'a/b/c', revision: 7 },
    });
    expect(answer.etag).toBe(bulkEtag(7, answer.json));
  });

  it('shares one answer between contexts with the same outcome, and tells different outcomes apart', () => {
    const { answers } = answersWithCounts();
    const first = answers.bulk(flags.evaluateAll({ plan: 'pro', email: 'ada@example.com' }));
    const sameOutcome = answers.bulk(flags.evaluateAll({ email: 'bob@example.com', plan: 'pro' }));
    const other = answers.bulk(flags.evaluateAll({ plan: 'free' }));
    expect(sameOutcome).toBe(first);
    expect(other.etag).not.toBe(first.etag);
    expect(JSON.parse(String(other.json)).flags[0]).toMatchObject({ value: false, variant: 'off' });
  });

  it('hands the counts of shared answers over when drained, once', () => {
    const { answers, counts } = answersWithCounts();
    for (let i = 0; i < 3; i++) answers.bulk(flags.evaluateAll({ plan: 'pro' }));
    answers.bulk(flags.evaluateAll({ plan: 'free' }));
    expect(counts.size).toBe(0);
    answers.drainCounts();
    const expected = {
      'new-checkout/TARGETING_MATCH': 4,
      'banner-color/DEFAULT': 4,
      'sunset-ui/DISABLED': 4,
    };
    expect(Object.fromEntries(counts)).toEqual(expected);
    answers.drainCounts();
    expect(Object.fromEntries(counts)).toEqual(expected);
  });

  it('builds answers holding a per-request result every time and counts them at once', () => {
    const withError = compile({
      flags: {
        tier: {
          state: 'ENABLED',
          variants: { gold: 'gold' },
          defaultVariant: 'gold',
          targeting: { if: [{ var: 'vip' }, 'platinum', null] },
        },
      },
    });
    const { answers, counts } = answersWithCounts();
    const first = answers.bulk(withError.evaluateAll({ vip: true }));
    const second = answers.bulk(withError.evaluateAll({ vip: true }));
    expect(second).not.toBe(first);
    expect(second.etag).toBe(first.etag);
    expect(JSON.parse(String(first.json)).flags[0]).toMatchObject({ key: 'tier', errorCode: 'GENERAL' });
    expect(Object.fromEntries(counts)).toEqual({ 'tier/GENERAL': 2 });
  });

  it('stays within its limits and still answers every outcome beyond them', () => {
    const { answers, counts } = answersWithCounts({ entries: 1, bytes: 1 << 20 });
    const pro = answers.bulk(flags.evaluateAll({ plan: 'pro' }));
    const free = answers.bulk(flags.evaluateAll({ plan: 'free' }));
    expect(answers.bulk(flags.evaluateAll({ plan: 'pro' }))).toBe(pro);
    expect(answers.bulk(flags.evaluateAll({ plan: 'free' }))).not.toBe(free);
    expect(JSON.parse(String(free.json)).flags[0].variant).toBe('off');
    answers.drainCounts();
    expect(counts.get('sunset-ui/DISABLED')).toBe(4);

    const tiny = answersWithCounts({ entries: 10, bytes: 10 }).answers;
    const built = tiny.bulk(flags.evaluateAll({ plan: 'pro' }));
    expect(tiny.bulk(flags.evaluateAll({ plan: 'pro' }))).not.toBe(built);
  });
});
