import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { waitFor } from '../../../test/support/wait-for';
import { METRIC_LABEL_VALUES } from '../src/observability/metric-labels';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

const ROOT = join(__dirname, '../../..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

interface Mention {
  readonly file: string;
  readonly metric: string;
  readonly label: string;
  readonly values: string[];
}

/** `flagfleet_x{label="v"}` and `{label=~"a|b"}` selectors, in prose, tables and alert examples alike. */
function selectorValues(file: string, text: string): Mention[] {
  const mentions: Mention[] = [];
  for (const [, metric, body] of text.matchAll(/(flagfleet_[a-z_]+)\{([^}]*)\}/g)) {
    for (const [, label, operator, value] of body.matchAll(/(\w+)\s*(=~|!~|=|!=)\s*"([^"]*)"/g)) {
      mentions.push({ file, metric, label, values: operator.includes('~') ? value.split('|') : [value] });
    }
  }
  return mentions;
}

/**
 * Enumerations: "`label` (`v1`, `v2`)" in a table row or paragraph, belonging to the nearest metric
 * named before it in that row or paragraph.
 */
function enumeratedValues(file: string, text: string): Mention[] {
  const blocks = text.split(/\n\s*\n|\n(?=\|)/);
  const mentions: Mention[] = [];
  for (const block of blocks) {
    for (const match of block.matchAll(/`(\w+)` \(((?:`[^`]+`(?:,\s*)?)+)\)/g)) {
      const before = [...block.slice(0, match.index).matchAll(/`(flagfleet_[a-z_]+)/g)];
      if (before.length === 0) continue;
      const metric = before[before.length - 1][1];
      const values = [...match[2].matchAll(/`([^`]+)`/g)].map((value) => value[1]);
      mentions.push({ file, metric, label: match[1], values });
    }
  }
  return mentions;
}

const texts = DOCS.map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
const selectors = texts.flatMap(({ file, text }) => selectorValues(file, text));
const enumerations = texts.flatMap(({ file, text }) => enumeratedValues(file, text));

describe('metric label values in the docs', () => {
  it('finds the mentions it checks (the parser still matches the docs)', () => {
    expect(selectors.length).toBeGreaterThan(3);
    expect(enumerations.length).toBeGreaterThan(3);
  });

  it.each(selectors.map((m) => [`${m.file}: ${m.metric}{${m.label}="${m.values.join('|')}"}`, m]))(
    'selector %s uses values the service emits',
    (_name, mention) => {
      const declared = METRIC_LABEL_VALUES[mention.metric]?.[mention.label];
      // Open-set labels (flag, source) are not enumerated; a selector on them is an example value.
      if (declared === undefined) return;
      expect(declared).toEqual(expect.arrayContaining(mention.values));
    },
  );

  it.each(enumerations.map((m) => [`${m.file}: ${m.metric} ${m.label}`, m]))(
    'enumeration %s lists exactly the values the service emits',
    (_name, mention) => {
      const declared = METRIC_LABEL_VALUES[mention.metric]?.[mention.label];
      expect(declared).toBeDefined();
      expect([...mention.values].sort()).toEqual([...(declared ?? [])].sort());
    },
  );

  it('documents every value of every closed-set label somewhere', () => {
    for (const [metric, labels] of Object.entries(METRIC_LABEL_VALUES)) {
      for (const label of Object.keys(labels)) {
        const listed = enumerations.some((m) => m.metric === metric && m.label === label);
        expect({ metric, label, listed }).toEqual({ metric, label, listed: true });
      }
    }
  });
});

describe('metric label values a running service emits', () => {
  let service: RunningFlagService;

  beforeAll(async () => {
    service = await startFlagService({ flags: SERVICE_FLAGS });
  });
  afterAll(() => service?.close());

  it('are all declared, and every webhook outcome is exported from the start', async () => {
    await request(service.url).post('/ofrep/v1/evaluate/flags/kill-switch').send({ context: {} }).expect(200);
    await request(service.url).post('/ofrep/v1/evaluate/flags/nope').send({ context: {} }).expect(404);
    await request(service.url).post('/ofrep/v1/evaluate/flags').send({ context: {} }).expect(200);
    await service.writeFlags('flags', { flags: { x: { state: 'ON' } } });
    const scrape = await waitFor(
      async () => {
        const text: string = (await request(service.url).get('/metrics')).text;
        return text.includes('event="config_rejected"') ? text : '';
      },
      { timeoutMs: 10_000, message: 'a config_rejected count' },
    );
    const seen = new Map<string, Set<string>>();
    for (const [, name, body] of scrape.matchAll(/^(flagfleet_[a-z_]+)\{([^}]*)\}/gm)) {
      const metric = name.replace(/_(bucket|sum|count)$/, '');
      const declared = METRIC_LABEL_VALUES[metric];
      if (!declared) continue;
      for (const [, label, value] of body.matchAll(/(\w+)="([^"]*)"/g)) {
        if (!declared[label]) continue;
        expect({ metric, label, value, declared: declared[label].includes(value) }).toMatchObject({
          declared: true,
        });
        seen.set(`${metric}.${label}`, (seen.get(`${metric}.${label}`) ?? new Set()).add(value));
      }
    }
    expect([...(seen.get('flagfleet_webhook_deliveries_total.outcome') ?? [])].sort()).toEqual(
      [...METRIC_LABEL_VALUES.flagfleet_webhook_deliveries_total.outcome].sort(),
    );
    expect(seen.get('flagfleet_poller_events_total.event')).toEqual(
      new Set(['flags_changed', 'config_rejected']),
    );
  });
});
