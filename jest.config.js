// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

const swc = [
  '@swc/jest',
  { sourceMaps: 'inline', jsc: { parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true } } },
];

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
      transform: { '^.+\\.ts$': swc },
      testMatch: ['<rootDir>/src/sidecar/**/*.test.ts', '<rootDir>/src/shared/**/*.test.ts', '<rootDir>/tests/integration/**/*.test.ts'],
    },
  ],
};
