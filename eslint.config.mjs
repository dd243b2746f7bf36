import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';
import { layerConfigs } from './eslint.layers.mjs';

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      'dist-sidecar/',
      'dist-bench/',
      'test-artifacts/',
      '.lookback/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  {
    // The sidecar, its integration tests and benchmarks are typed by their own Node tsconfig.
    files: ['src/sidecar/**/*.ts', 'src/shared/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts'],
    languageOptions: {
      parserOptions: {
        project: './tsconfig.tests.json',
      },
    },
  },
  // Who may import whom: the layering of docs/architecture.md.
  ...layerConfigs(),
]);
