/** Realistic flag documents for benchmarks and load tests: what flag owners write, not one-liners. */

const WORDS = (
  'enable new checkout flow for beta cohort rollout pricing page banner search ranking model v2 ' +
  'mobile onboarding dark mode payment provider fallback recommendations carousel experiment holdout'
).split(' ');

/**
 * `count` flags with targeting, metadata and distinct keys, thresholds and free-text descriptions
 * (a seeded pseudo-random word choice, so the text does not compress better than people's text does).
 */
export function realisticFlags(count: number, salt: number): Record<string, object> {
  const flags: Record<string, object> = {};
  let seed = 4711 + salt;
  const word = () => WORDS[(seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % WORDS.length];
  for (let i = 0; i < count; i += 1) {
    const description = Array.from({ length: 8 }, word).join(' ');
    const team = ['checkout', 'search', 'growth', 'platform', 'mobile'][i % 5];
    flags[`${team}.feature-${i}`] = {
      state: i % 17 === 0 ? 'DISABLED' : 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: {
        if: [
          {
            or: [
              { in: [{ var: 'plan' }, ['pro', 'enterprise']] },
              { ends_with: [{ var: 'email' }, `@${team}-${i % 40}.example.com`] },
              { sem_ver: [{ var: 'appVersion' }, '>=', `2.${i % 9}.${(i + salt) % 13}`] },
            ],
          },
          {
            fractional: [
              ['on', 10 + (i % 80)],
              ['off', 90 - (i % 80)],
            ],
          },
          null,
        ],
      },
      metadata: { owner: `${team}-team`, ticket: `FF-${(seed % 90_000) + 10_000}`, description },
    };
  }
  return flags;
}

/** A flagd document of `realisticFlags(count, salt)`. */
export function realisticDocument(count: number, salt: number): Buffer {
  return Buffer.from(JSON.stringify({ flags: realisticFlags(count, salt) }));
}
