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

interface RealisticVariant {
  readonly name: string;
  readonly enabled: boolean;
  readonly rule?: string;
  readonly attributeValues: Record<string, string | number>;
}

/**
 * `count` AppConfig multi-variant flags (the shape of flags/features.json): three rules per flag with text, list,
 * split and equality operators, then a default variant.
 */
function realisticVariants(
  count: number,
  salt: number,
): { key: string; team: string; variants: RealisticVariant[] }[] {
  return Array.from({ length: count }, (_, i) => {
    const team = ['checkout', 'search', 'growth', 'platform', 'mobile'][i % 5];
    const key = `${team}_feature_${i}`;
    const variants: RealisticVariant[] = [
      {
        name: 'Staff',
        enabled: true,
        rule: `(ends_with $email "@${team}-${i % 40}.example.com")`,
        attributeValues: { theme: 'dark', steps: 2 },
      },
      {
        name: 'Rollout',
        enabled: true,
        rule: `(and (in $country ["DE", "AT", "CH"]) (split pct::${10 + ((i + salt) % 80)} by::$userId seed::"${key}"))`,
        attributeValues: { theme: 'light', steps: 3 },
      },
      { name: 'Beta', enabled: (i + salt) % 2 === 0, rule: '(eq $beta true)', attributeValues: { steps: 4 } },
      { name: 'Default', enabled: false, attributeValues: { theme: 'light', steps: 1 } },
    ];
    return { key, team, variants };
  });
}

/** `realisticVariants` as an AppConfig authoring document (declared attributes; what a profile's owner deploys). */
export function realisticAppConfigDocument(count: number, salt: number): Buffer {
  const flags: Record<string, object> = {};
  const values: Record<string, object> = {};
  for (const { key, team, variants } of realisticVariants(count, salt)) {
    flags[key] = {
      name: key.replaceAll('_', ' '),
      description: `${team} team`,
      attributes: { theme: { constraints: { type: 'string', enum: ['dark', 'light'] } }, steps: {} },
    };
    values[key] = { _variants: variants };
  }
  return Buffer.from(JSON.stringify({ version: '1', flags, values }));
}

const ION_LONG_QUOTE = "'''";

/**
 * `realisticVariants` as AppConfigData serves them (the Ion retrieval format: each flag a list of
 * `[rule, '''{json}''']` pairs ending with the default variant's JSON).
 */
export function realisticAppConfigIon(count: number, salt: number): Buffer {
  const long = (variant: RealisticVariant): string => {
    const answer = { _variant: variant.name, enabled: variant.enabled };
    return `${ION_LONG_QUOTE}${JSON.stringify(variant.enabled ? { ...answer, ...variant.attributeValues } : answer)}${ION_LONG_QUOTE}`;
  };
  const lines = realisticVariants(count, salt).map(({ key, variants }) => {
    const pairs = variants.slice(0, -1).map((variant) => `[${variant.rule}, ${long(variant)}]`);
    return `'${key}'::[${[...pairs, long(variants[variants.length - 1])].join(', ')}]`;
  });
  return Buffer.from(lines.join('\n') + '\n');
}
