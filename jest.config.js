// One Jest run for unit tests beside the code (libs/, apps/) and cross-process tests (test/).
const { readFileSync } = require('node:fs');
const swcrc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
// On Node < 22 every SDK client in a test worker would print the SDK's eight-line Node warning; the service says
// it once in its own words (observability/node-runtime.ts). The SDK's documented opt-out, aws/aws-sdk-js-v3#7983.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  // @cucumber/gherkin and @cucumber/messages ship ESM only: compile them to CommonJS like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!@cucumber/)'],
  moduleNameMapper: { '^@flagfleet/(.*)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
