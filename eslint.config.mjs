import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/**
 * What each lib may import (DESIGN.md's layout table), besides @flagfleet/core, the contracts every stateful
 * lib shares (Clock, Logger, CodedError). Production sources only: specs and `testing/` helpers may use
 * anything. Imports of another lib go through its `src/index.ts` (the `@flagfleet/<lib>` alias resolves there).
 */
const LIBS = {
  'flag-engine': [],
  'appconfig-emulator': [],
  core: [],
  serving: ['core', 'config-store', 'flag-engine'],
  'config-store': ['core', 'flag-engine'],
  'appconfig-poller': ['core', 'config-store', 'flag-engine', 'serving'],
  'change-delivery': ['core', 'config-store', 'serving'],
  'flagd-protocol': ['core', 'config-store', 'flag-engine', 'serving'],
};
const index = (lib) => `./${lib}/src/index.ts`;

const zones = [
  ...Object.entries(LIBS).map(([lib, allowed]) => ({
    target: `./libs/${lib}`,
    from: './libs',
    except: [`./${lib}`, ...allowed.map(index)],
    message: allowed.length
      ? `libs/${lib} may import only ${allowed.map((l) => `@flagfleet/${l}`).join(', ')} (their index)`
      : `libs/${lib} imports nothing of ours`,
  })),
  { target: './libs', from: './apps', message: 'libs never import apps' },
  {
    target: './apps',
    from: './libs',
    except: Object.keys(LIBS).map(index),
    message: 'apps import libs only through @flagfleet/<lib>',
  },
  {
    target: './apps/appconfig-emulator',
    from: './libs',
    except: [index('appconfig-emulator')],
    message: 'the emulator app imports only @flagfleet/appconfig-emulator',
  },
  {
    target: './apps/appconfig-emulator',
    from: './apps/flag-service',
    // The one environment schema, and nothing else of the service.
    except: [
      './src/config/config-or-exit.ts',
      './src/config/emulator-config.ts',
      './src/config/env.ts',
      './src/errors.ts',
    ],
    message: 'the emulator app reads only the environment schema of the service',
  },
];

/** "types only" dependencies: values would pull the other lib's code in. */
const typesOnly = (name) => ({
  name,
  allowTypeImports: true,
  message: `import only types from ${name} here (DESIGN.md)`,
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', 'libs/*/src/gen/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    plugins: { 'import-x': importX },
    settings: {
      // Files the plugin parses when it follows imports (no-cycle): ours are TypeScript.
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createNodeResolver({
          tsconfig: { configFile: './tsconfig.json' },
          extensions: ['.ts', '.js', '.json'],
        }),
      ],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
  {
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones }] },
  },
  {
    files: ['libs/config-store/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [typesOnly('@flagfleet/flag-engine')] }],
    },
  },
  {
    // The registry names sources by the store's key type; nothing of the store runs in the seam.
    files: ['libs/serving/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [typesOnly('@flagfleet/config-store')] },
      ],
    },
  },
  {
    files: ['libs/flagd-protocol/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [typesOnly('@flagfleet/config-store')] },
      ],
    },
  },
);
