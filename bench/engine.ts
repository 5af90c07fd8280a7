/**
 * Flag engine benchmark: evaluations/s of @flagfleet/flag-engine against @openfeature/flagd-core's
 * FlagdCore on the same flags and contexts, in the same process, in interleaved rounds.
 * Standalone: `npx tsx bench/engine.ts` (re-runs itself with --expose-gc to measure allocation).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FlagdCore } from '@openfeature/flagd-core';
import {
  compileFlagDocument,
  type CompiledFlags,
  type EvaluationContext,
  type FlagValueType,
} from '@flagfleet/flag-engine';
import { syncDocument } from '@flagfleet/flagd-protocol';

const gc = (globalThis as { gc?: () => void }).gc;
const YOUNG_GENERATION = '--min-semi-space-size=64';
if (gc === undefined || !process.execArgv.includes(YOUNG_GENERATION)) {
  // A large young generation keeps each allocation sample free of scavenges, so heap growth is allocation.
  const flags = ['--expose-gc', YOUNG_GENERATION, '--max-semi-space-size=64', '--import', 'tsx'];
  const run = spawnSync(process.execPath, [...flags, __filename], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const TESTKIT = resolve(__dirname, '../../shared/conformance/flagd-evaluator/flags/testkit-flags.json');
const ROUNDS = 7;
const SINGLE_EVALUATIONS = 200_000;
const BULK_EVALUATIONS = 2_000;

/** The testkit's 60 flags, or (in a clone without ../shared) the project's own example flags. */
function loadDocument(): { source: string; document: string } {
  if (existsSync(TESTKIT)) return { source: 'flagd testkit flags', document: readFileSync(TESTKIT, 'utf8') };
  const dir = resolve(__dirname, '../flags');
  const file = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()[0];
  return { source: `flags/${file}`, document: readFileSync(join(dir, file), 'utf8') };
}

/** 1,000 varied contexts touching what the flags read: keys, emails, versions, nested names. */
function contexts(): EvaluationContext[] {
  const domains = ['macrosoft.com', 'example.com', 'flagfleet.dev', 'orange.com'];
  const versions = [
    '1.0.0',
    '2.0.0',
    '2.1.0',
    '1.9.0',
    '3.0.1',
    '3.1.0',
    'v1.0.0',
    '2.0.0-alpha',
    '1.2',
    'not-a-version',
  ];
  const names = ['jack', 'queen', 'ten', 'nine', 'seven', 'eight', 'two', 'ace'];
  return Array.from({ length: 1000 }, (_, i) => ({
    targetingKey: `user-${i}`,
    email: i % 7 === 0 ? 'ballmer@macrosoft.com' : `user${i}@${domains[i % domains.length]}`,
    version: versions[i % versions.length],
    appVersion: versions[(i * 3) % versions.length],
    user: { name: names[i % names.length] },
    id: i % 2 === 0 ? `abc${i}` : `${i}xyz`,
    tier: i % 3 === 0 ? 'premium' : 'basic',
    color: ['red', 'green', 'blue'][i % 3],
    country: ['DE', 'FR', 'US'][i % 3],
    plan: i % 5 === 0 ? 'enterprise' : 'free',
  }));
}

interface Target {
  readonly keys: readonly { key: string; type: FlagValueType }[];
  single(key: string, type: FlagValueType, context: EvaluationContext): unknown;
  all(context: EvaluationContext): unknown;
}

function ours(document: string): Target {
  const outcome = compileFlagDocument(document);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  const flags: CompiledFlags = outcome.flags;
  return {
    keys: flags.keys.map((key) => ({ key, type: flags.definitions.get(key)!.valueType })),
    single: (key, type, context) => flags.evaluateFlag(key, context, { expectedType: type }),
    all: (context) => flags.evaluateAll(context),
  };
}

function baseline(document: string, keys: Target['keys']): Target {
  // flagd-core logs the testkit's deliberately broken flag; keep the output to the figures.
  const silent = {
    error: () => undefined,
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
  };
  const core = new FlagdCore(undefined, silent);
  core.setConfigurations(document);
  const defaults = { boolean: false, string: '', number: 0, object: {} } as const;
  return {
    keys,
    single: (key, type, context) => {
      switch (type) {
        case 'boolean':
          return core.resolveBooleanEvaluation(key, defaults.boolean, context as never);
        case 'string':
          return core.resolveStringEvaluation(key, defaults.string, context as never);
        case 'number':
          return core.resolveNumberEvaluation(key, defaults.number, context as never);
        default:
          return core.resolveObjectEvaluation(key, defaults.object, context as never);
      }
    },
    all: (context) => core.resolveAll(context as never),
  };
}

function runSingle(target: Target, ctx: EvaluationContext[], count: number): void {
  const { keys } = target;
  for (let i = 0; i < count; i++) {
    const flag = keys[i % keys.length];
    target.single(flag.key, flag.type, ctx[i % ctx.length]);
  }
}

function runAll(target: Target, ctx: EvaluationContext[], count: number): void {
  for (let i = 0; i < count; i++) target.all(ctx[i % ctx.length]);
}

function rate(run: () => void, evaluations: number): number {
  const start = process.hrtime.bigint();
  run();
  return evaluations / (Number(process.hrtime.bigint() - start) / 1e9);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Heap growth per evaluation over a sample small enough to fit the young generation (no scavenge). */
function bytesPerEvaluation(run: (count: number) => void, evaluations: number, count: number): number {
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    gc!();
    const before = process.memoryUsage().heapUsed;
    run(count);
    const after = process.memoryUsage().heapUsed;
    samples.push(Math.max(0, after - before) / (count * evaluations));
  }
  return median(samples);
}

const { source, document } = loadDocument();
const ctx = contexts();
const engine = ours(document);
const flagd = baseline(document, engine.keys);
const flagCount = engine.keys.length;
console.log(
  `flags: ${source}, ${flagCount} flags; 1,000 contexts; ${ROUNDS} interleaved rounds; node ${process.version}`,
);

// Warm-up both, so the JIT has seen every path before measuring.
for (const target of [engine, flagd]) {
  runSingle(target, ctx, 50_000);
  runAll(target, ctx, 500);
}

const single = { engine: [] as number[], flagd: [] as number[] };
const all = { engine: [] as number[], flagd: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  single.engine.push(rate(() => runSingle(engine, ctx, SINGLE_EVALUATIONS), SINGLE_EVALUATIONS));
  single.flagd.push(rate(() => runSingle(flagd, ctx, SINGLE_EVALUATIONS), SINGLE_EVALUATIONS));
  all.engine.push(rate(() => runAll(engine, ctx, BULK_EVALUATIONS), BULK_EVALUATIONS * flagCount));
  all.flagd.push(rate(() => runAll(flagd, ctx, BULK_EVALUATIONS), BULK_EVALUATIONS * flagCount));
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const ratio = (a: number[], b: number[]): string => (median(a) / median(b)).toFixed(1);
console.log(
  `engine single flag: ${fmt(median(single.engine))} evaluations/s; flagd-core: ${fmt(median(single.flagd))} evaluations/s`,
);
console.log(
  `engine all flags: ${fmt(median(all.engine))} flag evaluations/s; flagd-core: ${fmt(median(all.flagd))} flag evaluations/s`,
);
console.log(`engine vs @openfeature/flagd-core, single flag: ${ratio(single.engine, single.flagd)}x`);
console.log(`engine vs @openfeature/flagd-core, all flags: ${ratio(all.engine, all.flagd)}x`);

const allocEngine = bytesPerEvaluation((n) => runSingle(engine, ctx, n), 1, 20_000);
const allocFlagd = bytesPerEvaluation((n) => runSingle(flagd, ctx, n), 1, 20_000);
const allocEngineAll = bytesPerEvaluation((n) => runAll(engine, ctx, n), flagCount, 300);
const allocFlagdAll = bytesPerEvaluation((n) => runAll(flagd, ctx, n), flagCount, 300);
console.log(
  `bytes allocated per evaluation, single flag: engine ${Math.round(allocEngine)}, flagd-core ${Math.round(allocFlagd)}`,
);
console.log(
  `bytes allocated per evaluation, all flags: engine ${Math.round(allocEngineAll)}, flagd-core ${Math.round(allocFlagdAll)}`,
);

/**
 * AppConfig multi-variant flags (5 variants: and/or rules, `in` over 100 values, a split, a default), in the
 * same interleaved rounds as the flagd-format flags above, through the same engine: per-evaluation cost.
 */
function appConfigDocument(flagCount: number): string {
  const accounts = Array.from({ length: 100 }, (_, i) => `"acct-${i * 7}"`).join(' ');
  const flags: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  for (let f = 0; f < flagCount; f++) {
    const key = `multi_variant_${f}`;
    flags[key] = { name: `Multi-variant ${f}`, attributes: { tier: { constraints: { type: 'string' } } } };
    values[key] = {
      _variants: [
        {
          name: 'Staff',
          enabled: true,
          rule: '(and (ends_with $email "@flagfleet.dev") (eq $plan "enterprise"))',
          attributeValues: { tier: 'staff' },
        },
        {
          name: 'Accounts',
          enabled: true,
          rule: `(in $accountId [${accounts}])`,
          attributeValues: { tier: 'listed' },
        },
        {
          name: 'Regions',
          enabled: true,
          rule: '(or (and (eq $country "DE") (eq $tier "premium")) (begins_with $email "user1"))',
          attributeValues: { tier: 'region' },
        },
        {
          name: 'Rollout',
          enabled: true,
          rule: `(split pct::25 by::$targetingKey seed::"bench-${f}")`,
          attributeValues: { tier: 'rollout' },
        },
        { name: 'Default', enabled: false },
      ],
    };
  }
  return JSON.stringify({ version: '1', flags, values });
}

const appConfig = ours(appConfigDocument(flagCount));
const appCtx = ctx.map((context, i) => ({ ...context, accountId: `acct-${i}` }));
runSingle(appConfig, appCtx, 50_000);
const singleAppConfig: number[] = [];
const singleFlagdFormat: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  singleFlagdFormat.push(rate(() => runSingle(engine, ctx, SINGLE_EVALUATIONS), SINGLE_EVALUATIONS));
  singleAppConfig.push(rate(() => runSingle(appConfig, appCtx, SINGLE_EVALUATIONS), SINGLE_EVALUATIONS));
}
console.log(
  `AppConfig multi-variant flags (${flagCount} flags × 5 variants, and/or, in over 100 values, split): ${fmt(median(singleAppConfig))} evaluations/s; flagd-format flags: ${fmt(median(singleFlagdFormat))} evaluations/s`,
);
console.log(
  `AppConfig multi-variant vs flagd-format flags, per evaluation: ${(median(singleAppConfig) / median(singleFlagdFormat)).toFixed(2)}x (must be at least 0.50x)`,
);

/**
 * In process, AppConfig rules with numbers as the sync service translates them (a numeral test guards the
 * strings) against the same rules written by hand in flagd JSON Logic, both in flagd-core: what the
 * translation costs an in-process provider, with typed numbers and with numeric texts.
 */
function numberRulesDocuments(): { translated: string; handWritten: string } {
  const rules = { Senior: '(gte $age 65)', Team: '(in $seats [10, 20])', Gold: '(eq $tier 3)' };
  const outcome = compileFlagDocument(
    JSON.stringify({
      version: '1',
      flags: { pricing: { name: 'Pricing' } },
      values: {
        pricing: {
          _variants: [
            ...Object.entries(rules).map(([name, rule]) => ({ name, enabled: true, rule })),
            { name: 'Standard', enabled: false },
          ],
        },
      },
    }),
  );
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  const translated = syncDocument(outcome.flags, Number.MAX_SAFE_INTEGER);
  const variants = { Senior: true, Team: true, Gold: true, Standard: false };
  const handWritten = JSON.stringify({
    flags: {
      pricing: {
        state: 'ENABLED',
        variants,
        defaultVariant: 'Standard',
        targeting: {
          if: [
            { '>=': [{ var: 'age' }, 65] },
            'Senior',
            { in: [{ var: 'seats' }, [10, 20]] },
            'Team',
            { '==': [{ var: 'tier' }, 3] },
            'Gold',
            null,
          ],
        },
      },
    },
  });
  return { translated, handWritten };
}

const numberDocuments = numberRulesDocuments();
const pricing: Target['keys'] = [{ key: 'pricing', type: 'boolean' }];
const translatedCore = baseline(numberDocuments.translated, pricing);
const handWrittenCore = baseline(numberDocuments.handWritten, pricing);
const typedNumbers = ctx.map((_, i) => ({ age: i % 100, seats: i % 30, tier: i % 5 }));
const numericTexts = typedNumbers.map((c) => ({
  age: String(c.age),
  seats: String(c.seats),
  tier: String(c.tier),
}));
for (const [name, contexts] of [
  ['typed numbers', typedNumbers],
  ['numeric texts', numericTexts],
] as const) {
  runSingle(translatedCore, contexts, 50_000);
  runSingle(handWrittenCore, contexts, 50_000);
  const translatedRates: number[] = [];
  const handWrittenRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    handWrittenRates.push(
      rate(() => runSingle(handWrittenCore, contexts, SINGLE_EVALUATIONS), SINGLE_EVALUATIONS),
    );
    translatedRates.push(
      rate(() => runSingle(translatedCore, contexts, SINGLE_EVALUATIONS), SINGLE_EVALUATIONS),
    );
  }
  console.log(
    `in process (flagd-core), AppConfig number rules as translated vs written in flagd JSON Logic, ${name}: ${fmt(median(translatedRates))} vs ${fmt(median(handWrittenRates))} evaluations/s, ${(median(translatedRates) / median(handWrittenRates)).toFixed(2)}x`,
  );
}
