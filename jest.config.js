// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';
// The AWS SDK warns every Node 20 process about its 2027 plans; the lockfile pins a tested SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

const sidecarESModules = '(hyparquet|cookie|marked|d3-[a-z-]+)';

const swc = ['@swc/jest', { sourceMaps: 'inline', jsc: { parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true } } }];

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'plugin',
      testPathIgnorePatterns: ['<rootDir>/src/sidecar/'],
      transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
      transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, '@react-hookz', '@ver0'])],
    },
    {
      displayName: 'sidecar',
      testEnvironment: 'node',
      // hyparquet and cookie (light-my-request, behind fastify's inject) ship ES modules only, and
      // so do marked and d3-* (behind @grafana/data, which the data source's integration test
      // loads): compile them to CommonJS like the sidecar's own sources.
      transform: { '^.+\\.ts$': swc, [`/node_modules/${sidecarESModules}/.+\\.m?js$`]: swc },
      transformIgnorePatterns: [`/node_modules/(?!${sidecarESModules}/)`],
      // Opening chDB or starting the emulator takes seconds on a busy machine: 30 s where a test sets no bound of its own.
      setupFilesAfterEnv: ['<rootDir>/tests/setupSidecar.js'],
      testMatch: [
        '<rootDir>/src/sidecar/**/*.test.ts',
        '<rootDir>/src/shared/**/*.test.ts',
        '<rootDir>/tests/store/**/*.test.ts',
        '<rootDir>/tests/integration/**/*.test.ts',
        '<rootDir>/tests/security/**/*.test.ts',
        '<rootDir>/tests/lint/**/*.test.ts',
      ],
    },
    {
      // The built plugin in Chromium against a real sidecar (tests/browser/README.md); run by `npm run test:browser`.
      displayName: 'browser',
      testEnvironment: 'node',
      transform: { '^.+\\.tsx?$': swc },
      testMatch: ['<rootDir>/tests/browser/**/*.spec.ts'],
      globalSetup: '<rootDir>/tests/browser/support/globalSetup.ts',
    },
  ],
};
