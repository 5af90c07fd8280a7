import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const CYCLE_DIR = `libs/core/src/cycle-fixture-${process.pid}`;

const FORBIDDEN: [string, string][] = [
  [
    'libs/flag-engine/src/x.ts',
    "import { CONFIG_STORE } from '@flagfleet/config-store';\nexport const x = CONFIG_STORE;",
  ],
  ['libs/appconfig-emulator/src/x.ts', "import { Clock } from '@flagfleet/core';\nexport const x = Clock;"],
  [
    'libs/change-delivery/src/x.ts',
    "import { PollerStatus } from '@flagfleet/appconfig-poller';\nexport const x = PollerStatus;",
  ],
  [
    'libs/appconfig-poller/src/x.ts',
    "import { MemoryConfigStore } from '../../config-store/src/memory/memory-config-store';\nexport const x = MemoryConfigStore;",
  ],
  [
    'libs/config-store/src/x.ts',
    "import { ServiceConfig } from '../../../apps/flag-service/src/config';\nexport const x = ServiceConfig;",
  ],
  [
    'apps/flag-service/src/x.ts',
    "import { MemoryConfigStore } from '../../../libs/config-store/src/memory/memory-config-store';\nexport const x = MemoryConfigStore;",
  ],
  [
    'apps/appconfig-emulator/src/x.ts',
    "import { ServiceConfig } from '../../flag-service/src/config/service-config';\nexport const x = ServiceConfig;",
  ],
];
const ALLOWED: [string, string][] = [
  [
    'libs/appconfig-poller/src/x.ts',
    "import { CONFIG_STORE } from '@flagfleet/config-store';\nexport const x = CONFIG_STORE;",
  ],
  ['libs/change-delivery/src/x.ts', "import { Logger } from '@flagfleet/core';\nexport const x = Logger;"],
  [
    'libs/config-store/src/x.ts',
    "import type { FlagDefinition } from '@flagfleet/flag-engine';\nexport type X = FlagDefinition;",
  ],
  [
    'apps/appconfig-emulator/src/x.ts',
    "import { emulatorConfigFromEnv } from '../../flag-service/src/config/emulator-config';\nexport const x = emulatorConfigFromEnv;",
  ],
  [
    'libs/flag-engine/src/x.spec.ts',
    "import { waitFor } from '../../../test/support/wait-for';\nexport const x = waitFor;",
  ],
];
const VALUE_FROM_FLAG_ENGINE =
  "import { compileFlagDocument } from '@flagfleet/flag-engine';\nexport const x = compileFlagDocument;";

/**
 * The import rules of eslint.config.mjs (DESIGN.md's layout table), run through ESLint's Node API on fixture
 * sources: each forbidden import must fail lint, each allowed one pass, and a cycle fail.
 */
describe('import boundaries (lint)', () => {
  let reported: string[][];
  beforeAll(() => {
    // A real two-file cycle on disk (no-cycle follows files), removed at once.
    mkdirSync(join(ROOT, CYCLE_DIR), { recursive: true });
    try {
      writeFileSync(
        join(ROOT, CYCLE_DIR, 'a.ts'),
        "import { b } from './b';\nexport const a = (): number => b() + 1;\n",
      );
      writeFileSync(
        join(ROOT, CYCLE_DIR, 'b.ts'),
        "import { a } from './a';\nexport const b = (): number => a() - 1;\n",
      );
      const fixtures = [
        ...[...FORBIDDEN, ...ALLOWED].map(([path, code]) => ({ path, code })),
        { path: 'libs/config-store/src/x.ts', code: VALUE_FROM_FLAG_ENGINE },
        { path: `${CYCLE_DIR}/a.ts` },
      ];
      const run = spawnSync(process.execPath, [join(ROOT, 'test/support/lint-fixtures.js')], {
        input: JSON.stringify(fixtures),
        encoding: 'utf8',
        timeout: 60_000,
      });
      if (run.status !== 0) throw new Error(`lint runner failed: ${run.stderr}`);
      reported = JSON.parse(run.stdout) as string[][];
    } finally {
      rmSync(join(ROOT, CYCLE_DIR), { recursive: true, force: true });
    }
  }, 60_000);

  it.each(FORBIDDEN.map(([path], i) => [path, i] as const))(
    'refuses the forbidden import in %s',
    (_path, i) => {
      expect(reported[i]).toEqual(['import-x/no-restricted-paths']);
    },
  );

  it.each(ALLOWED.map(([path], i) => [path, FORBIDDEN.length + i] as const))(
    'accepts the allowed import in %s',
    (_path, i) => {
      expect(reported[i]).toEqual([]);
    },
  );

  it('lets config-store import only types from flag-engine', () => {
    expect(reported[FORBIDDEN.length + ALLOWED.length]).toEqual(['@typescript-eslint/no-restricted-imports']);
  });

  it('refuses an import cycle', () => {
    expect(reported[FORBIDDEN.length + ALLOWED.length + 1]).toEqual(['import-x/no-cycle']);
  });
});
