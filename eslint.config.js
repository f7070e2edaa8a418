// One linter for the whole repository: type-aware TypeScript rules plus the import boundaries
// of ARCHITECTURE.md §2 (core imports nothing of the repo, connectors import only core, the
// worker never imports a connector). integration-tests/src/lint-boundaries.test.ts proves the
// boundary rules fire.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const connectorPackages = ['@sluice/connector-*', '@sluice/connector-*/**'];
const repoPackages = ['@sluice/*', '@sluice/*/**'];

function forbid(patterns, message) {
  return {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  };
}

export const boundaries = [
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: forbid(repoPackages, '@sluice/core is the plugin API and imports nothing of the repository.'),
  },
  {
    files: ['packages/connector-*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@sluice/(?!core$)',
              message: 'A connector may import only @sluice/core (and its own drivers).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/worker/src/**/*.ts', 'packages/transforms/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: forbid(connectorPackages, 'The runtime never imports a connector; plugins are loaded, not linked.'),
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.config.ts', 'vitest.shared.ts', 'stack/**', '.stack/**', '.tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaries,
);
