import { defineConfig } from 'vitest/config';

// Every package's tests resolve workspace packages to their TypeScript source and write a JSON
// report that .ci/run turns into CI's closing `N passed, N failed` line.
export function sluiceVitestConfig(options: { globalSetup?: string[]; testTimeout?: number; fileParallelism?: boolean } = {}) {
  return defineConfig({
    resolve: { conditions: ['@sluice/source'] },
    ssr: { resolve: { conditions: ['@sluice/source'], externalConditions: ['@sluice/source'] } },
    test: {
      include: ['src/**/*.test.ts'],
      reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
      testTimeout: options.testTimeout ?? 5_000,
      fileParallelism: options.fileParallelism ?? true,
      ...(options.globalSetup ? { globalSetup: options.globalSetup } : {}),
    },
  });
}
